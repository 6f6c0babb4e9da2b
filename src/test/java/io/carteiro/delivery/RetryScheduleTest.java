package io.carteiro.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retries as in Postfix: 5 minutes first, doubling, at most an hour apart, with jitter, never past the expiry. */
class RetryScheduleTest {

    final RetrySchedule schedule = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1),
            RandomGenerator.getDefault());
    final Instant now = Instant.parse("2026-03-01T10:00:00Z");
    final Instant expires = now.plus(Duration.ofDays(3));

    @Test
    void delayShouldStartAtFiveMinutesAndDoubleUpToAnHour() {
        assertEquals(Duration.ofMinutes(5), schedule.baseDelay(1));
        assertEquals(Duration.ofMinutes(10), schedule.baseDelay(2));
        assertEquals(Duration.ofMinutes(20), schedule.baseDelay(3));
        assertEquals(Duration.ofMinutes(40), schedule.baseDelay(4));
        assertEquals(Duration.ofHours(1), schedule.baseDelay(5));
        assertEquals(Duration.ofHours(1), schedule.baseDelay(500));
    }

    @Test
    void nextAttemptShouldBeJitteredWithinTenPercent() {
        boolean differs = false;
        Instant first = schedule.next(now, 1, expires);
        for (int i = 0; i < 50; i++) {
            Instant next = schedule.next(now, 1, expires);
            long seconds = Duration.between(now, next).toSeconds();
            assertTrue(seconds >= 270 && seconds <= 330, "5 min ± 10%, was " + seconds);
            differs |= !next.equals(first);
        }
        assertTrue(differs, "jitter spreads retries");
    }

    @Test
    void retriesShouldStopAtTheExpiry() {
        assertEquals(expires, schedule.next(expires.minusSeconds(60), 10, expires));
        assertNull(schedule.next(expires, 11, expires));
    }
}
