package io.carteiro.engagement;

import java.time.Instant;

/**
 * What a tracked link, open image or keep-me link carries, signed (see {@link TrackingTokens}).
 *
 * @param linkNo       the link of the campaign (from 1; 0 is the decoy link); 0 for opens and keep-me links
 * @param anonymous    the list tracks in aggregate: {@code recipientKey} is a random number drawn for this one
 *                     message, not a subscriber id
 * @param recipientKey the subscriber id, or that random number
 * @param domain       the recipient's mail domain (lower case, A-labels), for the per-domain table
 * @param sentAt       when the message was rendered to be sent, to the second
 */
record TrackingToken(Kind kind, long campaignId, long listId, boolean anonymous, long recipientKey, Instant sentAt,
                     int linkNo, String domain) {

    /** What the token is for; its code is the low bits of the payload's first byte. */
    enum Kind {
        CLICK(1), OPEN(2), KEEP(3);

        final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind ofCode(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    /** The subscriber this token names, or null for an anonymous recipient. */
    Long subscriberId() {
        return anonymous ? null : recipientKey;
    }

    boolean decoy() {
        return kind == Kind.CLICK && linkNo == 0;
    }
}
