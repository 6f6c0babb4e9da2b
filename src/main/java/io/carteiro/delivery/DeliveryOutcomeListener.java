package io.carteiro.delivery;

import java.util.List;

/**
 * Implemented by features that act on final delivery outcomes (the bounce rules record bounces, campaigns pause
 * themselves); every CDI bean implementing it is called for each stored batch INSIDE the transaction that records
 * the outcomes, so what it writes commits or rolls back with them. A listener does set-based work in that
 * transaction (no new transaction, no network); an exception rolls the batch back and the engine tries it again,
 * so a listener must be idempotent.
 */
public interface DeliveryOutcomeListener {

    void onFinalOutcomes(List<DeliveryOutcome> outcomes);
}
