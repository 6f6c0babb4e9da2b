package io.carteiro.delivery.smtp;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

/**
 * Why a session has no TLS it needed, in the words of RFC 8460 §4.3 (the result types of a TLS report), so that a
 * published policy's failure report says what happened rather than one catch-all.
 */
public enum TlsFailure {
    /** The server did not offer STARTTLS (or refused it) where TLS was required. */
    STARTTLS_NOT_SUPPORTED,
    /** The certificate is valid but does not name the server. */
    CERTIFICATE_HOST_MISMATCH,
    /** The certificate is outside its validity period. */
    CERTIFICATE_EXPIRED,
    /** The certificate does not chain to a trusted authority. */
    CERTIFICATE_NOT_TRUSTED,
    /** The handshake failed for another reason. */
    VALIDATION_FAILURE;

    /** As written in a report: {@code certificate-host-mismatch}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** What a failed handshake's exception says went wrong (the JDK wraps the cause several levels deep). */
    static TlsFailure of(Throwable handshake) {
        for (Throwable t = handshake; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return CERTIFICATE_EXPIRED;
            }
            if (t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return CERTIFICATE_EXPIRED;
            }
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (message.contains("No subject alternative") || message.contains("No name matching")) {
                return CERTIFICATE_HOST_MISMATCH;
            }
            if (message.contains("PKIX path") || message.contains("unable to find valid certification path")) {
                return CERTIFICATE_NOT_TRUSTED;
            }
        }
        return VALIDATION_FAILURE;
    }
}
