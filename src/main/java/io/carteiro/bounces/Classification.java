package io.carteiro.bounces;

/**
 * What one returned message says about one recipient.
 *
 * @param kind              hard, soft, complaint, blocked, auto-reply or unknown
 * @param smtpCode          the SMTP reply code (550) when the report quotes one
 * @param enhancedStatus    the RFC 3463 enhanced status (5.1.1) when known
 * @param diagnostic        the remote server's words, trimmed
 * @param recipient         the address the report is about, when it names one
 * @param originalMessageId the Message-ID of the message that bounced, when the report returns it
 */
record Classification(BounceKind kind, Integer smtpCode, String enhancedStatus, String diagnostic, String recipient,
                      String originalMessageId) {

    Classification withOriginalMessageId(String messageId) {
        return originalMessageId != null || messageId == null ? this
                : new Classification(kind, smtpCode, enhancedStatus, diagnostic, recipient, messageId);
    }
}
