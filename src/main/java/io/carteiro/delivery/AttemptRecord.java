package io.carteiro.delivery;

import java.time.Instant;

/**
 * One attempt to hand a message over, as stored in delivery_attempt.
 *
 * @param exchanger   host name of the exchanger, null when none was reached (DNS)
 * @param exchangerIp address connected to, or null
 * @param code        reply code, or null when no server replied
 */
record AttemptRecord(long outboundMessageId, Instant at, String exchanger, String exchangerIp, Integer code,
                     String enhancedStatus, String reply, OutcomeKind kind, boolean tls) {
}
