package io.carteiro.delivery;

import java.time.Instant;

/**
 * One attempt to hand a message over, as stored in delivery_attempt.
 *
 * @param exchanger   host name of the exchanger, null when none was reached (DNS)
 * @param exchangerIp address connected to, or null
 * @param code        reply code, or null when no server replied
 * @param reply       the server's reply text, or what went wrong when it said nothing
 * @param command     the command the reply answered (or whose reply never came), e.g. {@code MAIL FROM}, or the
 *                    session phase ({@code greeting}, {@code STARTTLS}); null when no session was tried
 */
record AttemptRecord(long outboundMessageId, Instant at, String exchanger, String exchangerIp, Integer code,
                     String enhancedStatus, String reply, String command, OutcomeKind kind, boolean tls) {

    /** A trouble that is not about one message (DNS, a suspended destination, an engine decision). */
    static AttemptRecord note(long id, Instant at, String enhancedStatus, String text, OutcomeKind kind) {
        return new AttemptRecord(id, at, null, null, null, enhancedStatus, text, null, kind, false);
    }

    /** The same attempt for another message (a trouble shared by every message of a run). */
    AttemptRecord forMessage(long id) {
        return new AttemptRecord(id, at, exchanger, exchangerIp, code, enhancedStatus, reply, command, kind, tls);
    }

    /** The same attempt with another outcome and text (a deferral that expired, for instance). */
    AttemptRecord as(OutcomeKind otherKind, String otherReply) {
        return new AttemptRecord(outboundMessageId, at, exchanger, exchangerIp, code, enhancedStatus, otherReply,
                command, otherKind, tls);
    }
}
