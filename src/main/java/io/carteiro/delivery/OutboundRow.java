package io.carteiro.delivery;

import java.time.Instant;

/**
 * A claimed queue row as the engine sees it: what a {@link MessageContentSource} gets to render the message.
 *
 * @param id             outbound_message.id
 * @param campaignId     null for transactional mail
 * @param sender         the From address (its domain is the DKIM signing domain)
 * @param messageId      the RFC 5322 Message-ID (with angle brackets), or null when the engine is to make one
 * @param attempts       attempts made before this one
 */
public record OutboundRow(long id, Long campaignId, Long subscriberId, Long listId, String recipient,
                          String recipientDomain, String sender, String messageId, int attempts, Instant createdAt,
                          Instant expiresAt) {
}
