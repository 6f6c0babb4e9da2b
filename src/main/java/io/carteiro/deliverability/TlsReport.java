package io.carteiro.deliverability;

import java.time.Instant;
import java.util.List;

/** One SMTP TLS report (RFC 8460 §4), as parsed. */
record TlsReport(String orgName, String reportId, String contact, Instant begin, Instant end,
                 List<Policy> policies) {

    /** One policy the reporter applied to the domain, with its session counts. */
    record Policy(String type, String domain, String mxHosts, long successful, long failed, List<Failure> failures) {
    }

    /** One kind of failure (certificate-expired, starttls-not-supported, sts-policy-invalid, ...). */
    record Failure(String resultType, String sendingIp, String receivingMx, String receivingIp, long sessions,
                   String detail) {
    }

    long successful() {
        return policies.stream().mapToLong(Policy::successful).sum();
    }

    long failed() {
        return policies.stream().mapToLong(Policy::failed).sum();
    }
}
