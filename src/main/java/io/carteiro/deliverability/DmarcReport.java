package io.carteiro.deliverability;

import java.time.Instant;
import java.util.List;

/**
 * One DMARC aggregate report (RFC 7489 §7.2, appendix C), as parsed.
 *
 * @param policy the published policy the reporter saw: p, sp, pct, adkim, aspf (any may be null)
 */
record DmarcReport(String orgName, String orgEmail, String reportId, Instant begin, Instant end, String domain,
                   String policy, String subPolicy, Integer percent, String adkim, String aspf, List<Row> rows) {

    /**
     * One record: messages from one source address with one result.
     *
     * @param dkim        policy_evaluated dkim: pass when an aligned DKIM signature verified
     * @param spf         policy_evaluated spf: pass when aligned SPF passed
     */
    record Row(String sourceIp, long count, String disposition, String dkim, String spf, String headerFrom,
               String envelopeFrom, String dkimDomain, String dkimResult, String spfDomain, String spfResult,
               String reasons) {

        /** DMARC passes when either aligned identifier passed. */
        boolean alignedPass() {
            return "pass".equals(dkim) || "pass".equals(spf);
        }
    }

    long messages() {
        return rows.stream().mapToLong(Row::count).sum();
    }

    long alignedPasses() {
        return rows.stream().filter(Row::alignedPass).mapToLong(Row::count).sum();
    }
}
