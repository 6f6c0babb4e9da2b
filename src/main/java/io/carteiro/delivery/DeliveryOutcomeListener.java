package io.carteiro.delivery;

import java.util.List;

/**
 * Implemented by features that act on final delivery outcomes (the bounce rules, a campaign's own-failure brake).
 * Every CDI bean implementing it is called for every non-deferred outcome INSIDE the transaction that records the
 * outcomes (the engine's group commit), so what a listener writes commits or rolls back with them: it does
 * set-based work in that transaction, opens no transaction of its own and does no network I/O. An exception rolls
 * the batch back and the engine writes it again, so a listener must be idempotent.
 */
public interface DeliveryOutcomeListener {

    void onFinalOutcomes(List<DeliveryOutcome> outcomes);
}
