package io.carteiro.engagement;

import java.time.Instant;

/** A row of {@code engagement_pending}: a hit waiting to be judged. */
record PendingHit(long id, long campaignId, long listId, int kind, int linkNo, boolean anonymous, long recipientKey,
                  String domain, Instant sentAt, Instant at, int signals) {

    RecipientKey recipient() {
        return new RecipientKey(campaignId, anonymous, recipientKey);
    }
}
