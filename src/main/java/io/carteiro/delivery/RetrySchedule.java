package io.carteiro.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When to try a deferred message again: the first retry after {@code first}, each next delay doubled up to
 * {@code max}, with ±10% jitter so a burst does not come back as one; no retries past the expiry.
 */
final class RetrySchedule {

    static final double JITTER = 0.10;

    private final Duration first;
    private final Duration max;
    private final RandomGenerator random;

    RetrySchedule(Duration first, Duration max, RandomGenerator random) {
        this.first = first;
        this.max = max;
        this.random = random;
    }

    /** The delay after the {@code attempts}-th failed attempt (1 for the first), before jitter. */
    Duration baseDelay(int attempts) {
        int doublings = Math.max(0, Math.min(attempts - 1, 30));
        long millis = first.toMillis() << doublings;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }

    /** The next attempt after {@code attempts} failed ones, or null when the message has expired by then. */
    Instant next(Instant now, int attempts, Instant expires) {
        if (!now.isBefore(expires)) {
            return null;
        }
        double factor = 1 - JITTER + 2 * JITTER * random.nextDouble();
        Instant next = now.plusMillis(Math.round(baseDelay(attempts).toMillis() * factor));
        return next.isAfter(expires) ? expires : next;
    }
}
