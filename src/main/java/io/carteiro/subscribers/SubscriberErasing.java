package io.carteiro.subscribers;

/**
 * Fired synchronously, inside the erasing transaction, before a subscriber's rows are deleted, so other features
 * (queued mail, bounces) can delete the personal data they hold about this subscriber in the same transaction.
 */
public record SubscriberErasing(long subscriberId) {
}
