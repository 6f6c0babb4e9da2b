package io.carteiro.delivery;

import java.time.Instant;

/**
 * The final outcome of one outbound message (delivered, bounced, blocked, expired or failed; never deferred), handed
 * to every {@link DeliveryOutcomeListener} in the transaction that stores it.
 *
 * @param messageId      the RFC 5322 Message-ID sent
 * @param code           SMTP reply code, or null when no server replied (DNS failure, gave up on connection trouble)
 * @param enhancedStatus RFC 3463 status such as {@code 5.1.1}, or null
 * @param text           reply text or the reason
 * @param exchanger      the exchanger host that replied, or null
 */
public record DeliveryOutcome(long outboundMessageId, Long campaignId, Long subscriberId, Long listId,
                              String recipient, String messageId, OutcomeKind kind, Integer code,
                              String enhancedStatus, String text, String exchanger, Instant at) {
}
