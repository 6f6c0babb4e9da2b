package io.carteiro.bounces;

import java.util.List;

/**
 * What the recorder did with one inbound message.
 *
 * @param bounceIds  the bounces recorded (empty unless {@link Result#RECORDED})
 * @param unparsedId the row kept for review (only for {@link Result#KEPT_FOR_REVIEW})
 */
record InboundOutcome(Result result, List<Long> bounceIds, Long unparsedId) {

    /** The kinds of outcome. */
    enum Result {
        /** At least one bounce or complaint was recorded against a subscriber. */
        RECORDED,
        /** A report about bounces recorded before (a second DSN about the same message): nothing counted again. */
        ALREADY_RECORDED,
        /** An automatic reply or a report with nothing against anyone (a success DSN). */
        IGNORED,
        /** A mailto unsubscribe was carried out. */
        UNSUBSCRIBED,
        /** Unreadable or unmatched: stored whole in {@code inbound_unparsed}. */
        KEPT_FOR_REVIEW,
        /** This message (by its key) was processed before; nothing was done again. */
        ALREADY_SEEN
    }

    static InboundOutcome of(Result result) {
        return new InboundOutcome(result, List.of(), null);
    }
}
