package io.carteiro.delivery.mtasts;

import java.util.Locale;

/**
 * The result types of RFC 8460 §4.3, the vocabulary TLS-RPT reports use for a failed session or policy: what the
 * engine passes to {@code DomainTlsPolicies.failed} and what this package records for its own fetches.
 */
enum TlsResultType {
    // §4.3.1 negotiation failures
    STARTTLS_NOT_SUPPORTED,
    CERTIFICATE_HOST_MISMATCH,
    CERTIFICATE_EXPIRED,
    CERTIFICATE_NOT_TRUSTED,
    VALIDATION_FAILURE,
    // §4.3.2 policy failures (DANE)
    TLSA_INVALID,
    DNSSEC_INVALID,
    DANE_REQUIRED,
    // §4.3.2 policy failures (MTA-STS)
    STS_POLICY_FETCH_ERROR,
    STS_POLICY_INVALID,
    STS_WEBPKI_INVALID;

    /** As written in a report: {@code certificate-host-mismatch}. */
    String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The type a caller named; an unknown name is RFC 8460's catch-all {@code validation-failure} (the caller's
     * word is kept in the detail).
     */
    static TlsResultType fromWire(String text) {
        if (text != null) {
            for (TlsResultType type : values()) {
                if (type.wire().equalsIgnoreCase(text.strip())) {
                    return type;
                }
            }
        }
        return VALIDATION_FAILURE;
    }
}
