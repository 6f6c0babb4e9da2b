package io.carteiro.delivery;

/**
 * Tells the engine that recipients are being added to the queue in bulk (a campaign's start queues its subscribers
 * range by range). Queueing is one database statement per range and competes for the same cores as sending, which
 * takes far more of them; while the queue fills, the engine sends one chunk at a time at
 * {@link DeliveryConfig#rateWhileFilling()}, so the queue is complete in seconds and every message still goes out
 * as soon as the machine is free. The total work is the same either way; only its order changes.
 */
public interface QueueFilling {

    /** Whether a bulk fill of the queue is under way (on any instance sharing the database). */
    boolean filling();
}
