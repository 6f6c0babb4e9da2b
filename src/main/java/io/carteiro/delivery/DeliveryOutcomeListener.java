package io.carteiro.delivery;

import java.util.List;

/**
 * Implemented by features that act on final delivery outcomes (the bounce rules record hard bounces); every CDI
 * bean implementing it is called after each stored batch, outside the engine's transaction. Failures are logged and
 * do not stop delivery, so a listener must be idempotent and keep its own state.
 */
public interface DeliveryOutcomeListener {

    void onFinalOutcomes(List<DeliveryOutcome> outcomes);
}
