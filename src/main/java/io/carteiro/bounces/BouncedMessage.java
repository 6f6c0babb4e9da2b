package io.carteiro.bounces;

/**
 * The outbound message a bounce is about, and who and what it was for.
 *
 * @param campaignId null for a transactional message
 * @param listId     null when the message was not sent on behalf of a list
 */
record BouncedMessage(long outboundMessageId, long subscriberId, Long campaignId, Long listId, String recipient) {
}
