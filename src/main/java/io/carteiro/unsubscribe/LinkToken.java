package io.carteiro.unsubscribe;

import java.time.Instant;
import java.util.Optional;

/**
 * What a signed link says: what it may be used for, whose it is, and until when.
 *
 * @param listId     the list, or 0 for a link about the subscriber as a whole (preferences)
 * @param campaignId the campaign whose message carried the link, if any
 * @param expiresAt  end of validity, or empty for a link that never expires
 */
record LinkToken(Purpose purpose, long subscriberId, long listId, Optional<Long> campaignId, Instant issuedAt,
                 Optional<Instant> expiresAt) {

    /**
     * What a token may be used for; a token of one purpose is refused where another is expected. DOWNLOAD and ERASE
     * tokens are short-lived and only ever mailed to the subscriber's own address, because a preference link travels
     * with every forwarded newsletter.
     */
    enum Purpose {
        UNSUBSCRIBE(1), PREFERENCES(2), CONFIRM(3), DOWNLOAD(4), ERASE(5);

        final int code;

        Purpose(int code) {
            this.code = code;
        }

        static Optional<Purpose> ofCode(int code) {
            for (Purpose p : values()) {
                if (p.code == code) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }
    }

    boolean expiredAt(Instant now) {
        return expiresAt.map(now::isAfter).orElse(false);
    }
}
