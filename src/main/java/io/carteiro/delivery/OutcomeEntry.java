package io.carteiro.delivery;

import java.time.Instant;

/**
 * A message's result as it is written: in the journal first, then in the database. The retry decision is already
 * taken (next attempt or final state), so replaying an entry writes exactly what the engine decided.
 *
 * @param owner       the instance whose claim the result belongs to
 * @param state       the outbound_message state it leaves ({@code deferred} or a final one)
 * @param nextAttempt when a deferred message is due again, else null
 * @param kind        the outcome ({@code DEFERRED}, or the final kind)
 * @param text        the reply text stored on the row (the last attempt's, or why the engine gave up)
 */
record OutcomeEntry(String owner, MessageResult result, String state, Instant nextAttempt, OutcomeKind kind,
                    String text) {

    long id() {
        return result.row().id();
    }

    boolean settlesTheMessage() {
        return kind != OutcomeKind.DEFERRED;
    }

    DeliveryOutcome outcome() {
        OutboundRow row = result.row();
        AttemptRecord last = result.last();
        return new DeliveryOutcome(row.id(), row.campaignId(), row.subscriberId(), row.listId(), row.recipient(),
                result.messageId(), kind, last.code(), last.enhancedStatus(), text, last.exchanger(), last.at());
    }
}
