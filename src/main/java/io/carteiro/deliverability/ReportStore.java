package io.carteiro.deliverability;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The received reports' tables ({@code dmarc_report}, {@code dmarc_report_row}, {@code tls_report},
 * {@code tls_report_policy}, {@code tls_report_failure}, {@code report_refusal}); runs in the caller's transaction.
 */
@ApplicationScoped
class ReportStore {

    /** A stored DMARC report's header. */
    record DmarcSummary(long id, String orgName, String reportId, String domain, Instant begin, Instant end,
                        String policy, long messages, long alignedPass, String channel, Instant receivedAt) {
    }

    /** Sums over reports: per reporting organisation or per source address. */
    record Volume(String key, long messages, long alignedPass, long dkimPass, long spfPass, long rejected,
                  long quarantined, long reports) {
    }

    /** Sums over the reports of one published domain from one source address. */
    record SourceVolume(String domain, String sourceIp, long messages, long alignedPass, long dkimPass,
                        long spfPass) {
    }

    /** Messages and aligned passes of one published domain's reports over a period. */
    record DomainShare(String domain, long messages, long alignedPass) {
    }

    /** A stored TLS report's header. */
    record TlsSummary(long id, String orgName, String reportId, String contact, Instant begin, Instant end,
                      long successful, long failed, String channel, Instant receivedAt) {
    }

    /** One failure line of a TLS report, with its policy. */
    record TlsFailure(long reportId, String policyType, String policyDomain, String resultType, String receivingMx,
                      String sendingIp, long sessions, String detail) {
    }

    /** A refused report. */
    record Refusal(String kind, String channel, String mailFrom, int size, String reason, Instant receivedAt) {
    }

    private final EntityManager em;

    ReportStore(EntityManager em) {
        this.em = em;
    }

    /** Stores the report, or nothing (empty) when the same organisation sent the same report id before. */
    OptionalLong saveDmarc(DmarcReport r, String channel, Instant now) {
        int inserted = em.createNativeQuery("""
                        INSERT IGNORE INTO dmarc_report (org_name, report_id, org_email, domain, date_begin, date_end,
                            policy, sub_policy, percent, adkim, aspf, messages, aligned_pass, channel, received_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)""")
                .setParameter(1, r.orgName()).setParameter(2, r.reportId()).setParameter(3, r.orgEmail())
                .setParameter(4, r.domain()).setParameter(5, ts(r.begin())).setParameter(6, ts(r.end()))
                .setParameter(7, r.policy()).setParameter(8, r.subPolicy()).setParameter(9, r.percent())
                .setParameter(10, r.adkim()).setParameter(11, r.aspf()).setParameter(12, r.messages())
                .setParameter(13, r.alignedPasses()).setParameter(14, channel).setParameter(15, ts(now))
                .executeUpdate();
        if (inserted == 0) {
            return OptionalLong.empty();
        }
        long id = ((Number) em.createNativeQuery("SELECT id FROM dmarc_report WHERE org_name = ? AND report_id = ?")
                .setParameter(1, r.orgName()).setParameter(2, r.reportId()).getSingleResult()).longValue();
        for (DmarcReport.Row row : r.rows()) {
            em.createNativeQuery("""
                            INSERT INTO dmarc_report_row (report_id, source_ip, messages, disposition, dkim, spf,
                                header_from, envelope_from, dkim_domain, dkim_result, spf_domain, spf_result, reasons)
                            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)""")
                    .setParameter(1, id).setParameter(2, row.sourceIp()).setParameter(3, row.count())
                    .setParameter(4, row.disposition()).setParameter(5, shortWord(row.dkim()))
                    .setParameter(6, shortWord(row.spf()))
                    .setParameter(7, row.headerFrom() == null ? r.domain() : row.headerFrom())
                    .setParameter(8, row.envelopeFrom()).setParameter(9, row.dkimDomain())
                    .setParameter(10, row.dkimResult()).setParameter(11, row.spfDomain())
                    .setParameter(12, row.spfResult()).setParameter(13, row.reasons()).executeUpdate();
        }
        return OptionalLong.of(id);
    }

    /** Stores the report, or nothing (empty) when it was stored before. */
    OptionalLong saveTls(TlsReport r, String channel, Instant now) {
        int inserted = em.createNativeQuery("""
                        INSERT IGNORE INTO tls_report (org_name, report_id, contact, date_begin, date_end, successful,
                            failed, channel, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)""")
                .setParameter(1, r.orgName()).setParameter(2, r.reportId()).setParameter(3, r.contact())
                .setParameter(4, ts(r.begin())).setParameter(5, ts(r.end())).setParameter(6, r.successful())
                .setParameter(7, r.failed()).setParameter(8, channel).setParameter(9, ts(now)).executeUpdate();
        if (inserted == 0) {
            return OptionalLong.empty();
        }
        long id = ((Number) em.createNativeQuery("SELECT id FROM tls_report WHERE org_name = ? AND report_id = ?")
                .setParameter(1, r.orgName()).setParameter(2, r.reportId()).getSingleResult()).longValue();
        for (TlsReport.Policy p : r.policies()) {
            em.createNativeQuery("""
                            INSERT INTO tls_report_policy (report_id, policy_type, policy_domain, mx_hosts, successful,
                                failed) VALUES (?1, ?2, ?3, ?4, ?5, ?6)""")
                    .setParameter(1, id).setParameter(2, p.type()).setParameter(3, p.domain())
                    .setParameter(4, p.mxHosts()).setParameter(5, p.successful()).setParameter(6, p.failed())
                    .executeUpdate();
            long policyId = ((Number) em.createNativeQuery("SELECT LAST_INSERT_ID()").getSingleResult()).longValue();
            for (TlsReport.Failure f : p.failures()) {
                em.createNativeQuery("""
                                INSERT INTO tls_report_failure (policy_id, result_type, sending_ip, receiving_mx,
                                    receiving_ip, sessions, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                        .setParameter(1, policyId).setParameter(2, f.resultType()).setParameter(3, f.sendingIp())
                        .setParameter(4, f.receivingMx()).setParameter(5, f.receivingIp())
                        .setParameter(6, f.sessions()).setParameter(7, f.detail()).executeUpdate();
            }
        }
        return OptionalLong.of(id);
    }

    void refuse(String kind, String channel, String mailFrom, int size, String reason, Instant now) {
        em.createNativeQuery("""
                        INSERT INTO report_refusal (kind, channel, mail_from, size_bytes, reason, received_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6)""")
                .setParameter(1, kind).setParameter(2, channel)
                .setParameter(3, mailFrom == null ? null : Texts.shorten(mailFrom, 320)).setParameter(4, size)
                .setParameter(5, Texts.shorten(reason, 500)).setParameter(6, ts(now)).executeUpdate();
    }

    List<DmarcSummary> dmarcPage(int offset, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT id, org_name, report_id, domain, date_begin, date_end, policy, messages, aligned_pass,
                               channel, received_at FROM dmarc_report ORDER BY date_end DESC, id DESC LIMIT ? OFFSET ?""")
                .setParameter(1, limit).setParameter(2, offset).getResultList();
        return rows.stream().map(ReportStore::dmarcSummary).toList();
    }

    long dmarcCount() {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM dmarc_report").getSingleResult()).longValue();
    }

    Optional<DmarcSummary> dmarc(long id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT id, org_name, report_id, domain, date_begin, date_end, policy, messages, aligned_pass,
                               channel, received_at FROM dmarc_report WHERE id = ?""").setParameter(1, id)
                .getResultList();
        return rows.stream().findFirst().map(ReportStore::dmarcSummary);
    }

    List<DmarcReport.Row> dmarcRows(long reportId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT source_ip, messages, disposition, dkim, spf, header_from, envelope_from, dkim_domain,
                               dkim_result, spf_domain, spf_result, reasons
                        FROM dmarc_report_row WHERE report_id = ? ORDER BY messages DESC, id""")
                .setParameter(1, reportId).getResultList();
        return rows.stream().map(r -> new DmarcReport.Row((String) r[0], ((Number) r[1]).longValue(), (String) r[2],
                (String) r[3], (String) r[4], (String) r[5], (String) r[6], (String) r[7], (String) r[8],
                (String) r[9], (String) r[10], (String) r[11])).toList();
    }

    /** Volumes of the reports that end after {@code since}, per organisation ({@code org_name}) or source address. */
    List<Volume> dmarcVolumes(boolean bySource, Instant since, int limit) {
        String key = bySource ? "w.source_ip" : "r.org_name";
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT " + key + ", SUM(w.messages),"
                        + " SUM(CASE WHEN w.dkim = 'pass' OR w.spf = 'pass' THEN w.messages ELSE 0 END),"
                        + " SUM(CASE WHEN w.dkim = 'pass' THEN w.messages ELSE 0 END),"
                        + " SUM(CASE WHEN w.spf = 'pass' THEN w.messages ELSE 0 END),"
                        + " SUM(CASE WHEN w.disposition = 'reject' THEN w.messages ELSE 0 END),"
                        + " SUM(CASE WHEN w.disposition = 'quarantine' THEN w.messages ELSE 0 END),"
                        + " COUNT(DISTINCT r.id)"
                        + " FROM dmarc_report r JOIN dmarc_report_row w ON w.report_id = r.id WHERE r.date_end >= ?"
                        + " GROUP BY " + key + " ORDER BY 2 DESC LIMIT ?")
                .setParameter(1, ts(since)).setParameter(2, limit).getResultList();
        return rows.stream().map(r -> new Volume((String) r[0], n(r[1]), n(r[2]), n(r[3]), n(r[4]), n(r[5]),
                n(r[6]), n(r[7]))).toList();
    }

    /** Per published domain and source address, the volumes of the reports that end after {@code since}. */
    List<SourceVolume> dmarcSources(Instant since, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT r.domain, w.source_ip, SUM(w.messages),
                               SUM(CASE WHEN w.dkim = 'pass' OR w.spf = 'pass' THEN w.messages ELSE 0 END),
                               SUM(CASE WHEN w.dkim = 'pass' THEN w.messages ELSE 0 END),
                               SUM(CASE WHEN w.spf = 'pass' THEN w.messages ELSE 0 END)
                        FROM dmarc_report r JOIN dmarc_report_row w ON w.report_id = r.id WHERE r.date_end >= ?
                        GROUP BY r.domain, w.source_ip ORDER BY 3 DESC LIMIT ?""")
                .setParameter(1, ts(since)).setParameter(2, limit).getResultList();
        return rows.stream().map(r -> new SourceVolume((String) r[0], (String) r[1], n(r[2]), n(r[3]), n(r[4]),
                n(r[5]))).toList();
    }

    /** Per published domain, messages and aligned passes of the reports whose period ends in [from, to). */
    List<DomainShare> dmarcShares(Instant from, Instant to) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT domain, SUM(messages), SUM(aligned_pass) FROM dmarc_report
                        WHERE date_end >= ? AND date_end < ? GROUP BY domain ORDER BY domain LIMIT 500""")
                .setParameter(1, ts(from)).setParameter(2, ts(to)).getResultList();
        return rows.stream().map(r -> new DomainShare((String) r[0], n(r[1]), n(r[2]))).toList();
    }

    List<TlsSummary> tlsPage(int offset, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT id, org_name, report_id, contact, date_begin, date_end, successful, failed, channel,
                               received_at FROM tls_report ORDER BY date_end DESC, id DESC LIMIT ? OFFSET ?""")
                .setParameter(1, limit).setParameter(2, offset).getResultList();
        return rows.stream().map(r -> new TlsSummary(n(r[0]), (String) r[1], (String) r[2], (String) r[3],
                SqlTimes.instant(r[4]), SqlTimes.instant(r[5]), n(r[6]), n(r[7]), (String) r[8], SqlTimes.instant(r[9]))).toList();
    }

    long tlsCount() {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM tls_report").getSingleResult()).longValue();
    }

    List<TlsFailure> tlsFailures(List<Long> reportIds) {
        if (reportIds.isEmpty()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT p.report_id, p.policy_type, p.policy_domain, f.result_type, f.receiving_mx, f.sending_ip,
                               f.sessions, f.detail
                        FROM tls_report_policy p JOIN tls_report_failure f ON f.policy_id = p.id
                        WHERE p.report_id IN (:ids) ORDER BY p.report_id, f.sessions DESC""")
                .setParameter("ids", reportIds).getResultList();
        return rows.stream().map(r -> new TlsFailure(n(r[0]), (String) r[1], (String) r[2], (String) r[3],
                (String) r[4], (String) r[5], n(r[6]), (String) r[7])).toList();
    }

    List<Refusal> refusals(int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT kind, channel, mail_from, size_bytes, reason, received_at FROM report_refusal
                        ORDER BY id DESC LIMIT ?""").setParameter(1, limit).getResultList();
        List<Refusal> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new Refusal((String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).intValue(),
                    (String) r[4], SqlTimes.instant(r[5])));
        }
        return out;
    }

    private static DmarcSummary dmarcSummary(Object[] r) {
        return new DmarcSummary(n(r[0]), (String) r[1], (String) r[2], (String) r[3], SqlTimes.instant(r[4]), SqlTimes.instant(r[5]),
                (String) r[6], n(r[7]), n(r[8]), (String) r[9], SqlTimes.instant(r[10]));
    }

    private static String shortWord(String w) {
        return w == null ? "fail" : w.length() <= 4 ? w : w.substring(0, 4);
    }

    private static long n(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }
}
