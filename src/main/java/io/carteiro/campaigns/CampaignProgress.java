package io.carteiro.campaigns;

import java.time.Instant;
import java.util.List;

/**
 * A campaign's counters as the queue has them right now (never in-memory counts, so every replica agrees).
 *
 * @param queued    rows waiting to be sent, including those a throttle or a pause still holds
 * @param held      of {@code queued}, the rows not yet released to the engine
 * @param remaining queued + sending + deferred: what is still to happen
 * @param perMinute sends per minute over the last 30 minutes, oldest first
 */
record CampaignProgress(long queued, long held, long sending, long sent, long deferred, long bounced, long failed,
                        long cancelled, long total, long remaining, double ratePerMinute, Instant eta,
                        List<MinuteCount> perMinute) {

    /** Messages sent in one minute. */
    record MinuteCount(Instant minute, long sent) {
    }

    /** Percentage of recipients with a final outcome (0–100). */
    int percentDone() {
        return total == 0 ? 0 : (int) Math.min(100, (total - remaining) * 100 / total);
    }
}
