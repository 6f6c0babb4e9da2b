package io.carteiro.delivery;

/**
 * The delivery engine's intake for single messages, and the brake other features pull: what features call to send
 * a transactional mail or to stop mail to someone who left.
 */
public interface MailQueue {

    /** Queues one message in the caller's transaction and returns its outbound message id. */
    long submit(OutgoingMail mail);

    /**
     * Cancels every message to this subscriber that has not been handed to an exchanger yet: of one list, or of all
     * lists when {@code listId} is null. Returns how many were cancelled.
     */
    int cancelQueued(long subscriberId, Long listId);
}
