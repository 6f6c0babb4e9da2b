package io.carteiro.subscribers;

/**
 * Fired synchronously, inside the transaction that ends a subscription, when a subscriber leaves a list from a
 * message (its unsubscribe link, RFC 8058 one-click or {@code mailto:} address), so the campaign report counts
 * the unsubscribes each campaign caused. {@code campaignId} is null when the message was not a campaign's.
 */
public record Unsubscribed(long subscriberId, long listId, Long campaignId) {
}
