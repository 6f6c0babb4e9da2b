package io.carteiro.bounces;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the bounce mailbox is due, decided from its row and the configured interval: a new interval applies at once
 * (not at the old schedule's next run), new settings are polled at once, and a poll in progress elsewhere is left
 * alone until its lease runs out.
 */
@QuarkusTest
@TestProfile(BounceNetwork.class)
class MailboxScheduleTest {

    static final Duration LEASE = Duration.ofMinutes(15);

    @Inject
    MailboxSchedule schedule;

    @Test
    void dueShouldFollowTheIntervalAsConfiguredNowAndChangedSettingsAtOnce() {
        Instant t = Instant.parse("2020-01-01T00:00:00Z").plusSeconds(System.nanoTime() % 1_000_000);
        Duration fiveMinutes = Duration.ofMinutes(5);

        assertTrue(schedule.claim("a", fiveMinutes, LEASE, t.plusSeconds(3600)), "a first poll is due at once");
        Instant polled = t.plusSeconds(3600);
        assertFalse(schedule.claim("a", fiveMinutes, LEASE, polled.plusSeconds(1)), "in progress: its lease holds");
        schedule.finish("read 0", polled.plusSeconds(2));

        assertFalse(schedule.claim("a", fiveMinutes, LEASE, polled.plusSeconds(60)), "not due for five minutes");
        assertTrue(schedule.claim("a", Duration.ofSeconds(30), LEASE, polled.plusSeconds(60)),
                "a shorter interval applies at once");
        schedule.finish("read 0", polled.plusSeconds(61));
        assertTrue(schedule.claim("b", fiveMinutes, LEASE, polled.plusSeconds(62)), "changed settings: at once");
        schedule.finish("read 0", polled.plusSeconds(63));
        assertEquals("read 0", schedule.last().orElseThrow().outcome());
    }

    @Test
    void aPollWhoseInstanceDiedShouldBeTakenOverWhenItsLeaseRunsOut() {
        Instant t = Instant.parse("2021-01-01T00:00:00Z").plusSeconds(System.nanoTime() % 1_000_000);
        assertTrue(schedule.claim("c", Duration.ofMinutes(5), LEASE, t));
        assertFalse(schedule.claim("c", Duration.ofMinutes(5), LEASE, t.plus(LEASE).minusSeconds(1)));
        assertTrue(schedule.claim("c", Duration.ofMinutes(5), LEASE, t.plus(LEASE).plusSeconds(1)));
        schedule.finish("read 0", t.plus(LEASE).plusSeconds(2));
    }
}
