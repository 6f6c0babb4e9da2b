package io.carteiro.delivery;

import java.util.List;

/**
 * What one delivery run did with one message: its attempts in order and the outcome of the last one (deferred when
 * nothing decided it); {@code counted} is false when the message was not tried at all (batch out of time).
 */
record MessageResult(OutboundRow row, String messageId, List<AttemptRecord> attempts, AttemptRecord last,
                     boolean counted) {
}
