package io.carteiro.delivery.throttle;

import io.carteiro.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Traffic shaping rules: per-exchanger connections, per-domain rates, suspension after many 4xx in a row. */
class DestinationLimitsTest {

    static final List<ShapingRule> RULES = List.of(new ShapingRule("*.google.com", 20, 0),
            new ShapingRule("outlook.com", 0, 5), new ShapingRule("*.outlook.com", 3, 0));

    static DestinationLimits limits(Clock clock) {
        return new DestinationLimits(new DestinationLimits.Settings(10, 0, 0, 3, Duration.ofMinutes(10), RULES),
                clock);
    }

    @Test
    void connectionRuleShouldMatchTheExchangerHostPattern() {
        DestinationLimits limits = limits(Clock.systemUTC());
        assertEquals(20, limits.connectionLimit("alt1.gmail-smtp-in.l.google.com", "gmail.com"));
        assertEquals(3, limits.connectionLimit("example-com.mail.protection.outlook.com", "example.com"));
        assertEquals(10, limits.connectionLimit("mx.example.org", "example.org"));
    }

    @Test
    void rateRuleShouldMatchTheRecipientDomain() {
        DestinationLimits limits = limits(Clock.systemUTC());
        assertEquals(5, limits.rateFor("outlook.com"));
        assertEquals(0, limits.rateFor("example.org"));
    }

    @Test
    void connectionsPerExchangerShouldBeBoundedByTheRule() throws InterruptedException {
        DestinationLimits limits = limits(Clock.systemUTC());
        String host = "mx.tenant.outlook.com";
        List<DestinationLimits.Permit> held = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(limits.acquire(host, "tenant.example"));
        }
        Thread fourth = new Thread(() -> limits.acquire(host, "tenant.example").release());
        fourth.start();
        fourth.join(300);
        assertTrue(fourth.isAlive(), "a fourth connection waits for a slot");
        held.get(0).release();
        fourth.join(5000);
        assertFalse(fourth.isAlive(), "it proceeds once a slot is free");
    }

    @Test
    void destinationShouldBeSuspendedAfterManyTemporaryFailuresInARow() {
        Instant start = Instant.parse("2026-03-01T10:00:00Z");
        MutableClock clock = new MutableClock(start);
        DestinationLimits limits = new DestinationLimits(new DestinationLimits.Settings(10, 0, 0, 3,
                Duration.ofMinutes(10), RULES), clock);
        limits.recordReply("mx.busy.test", "busy.test", 421);
        limits.recordReply("mx.busy.test", "busy.test", 250);
        limits.recordReply("mx.busy.test", "busy.test", 451);
        limits.recordReply("mx.busy.test", "busy.test", 421);
        assertFalse(limits.suspended("mx.busy.test", "busy.test"), "a success resets the count");
        limits.recordReply("mx.busy.test", "busy.test", 421);
        assertTrue(limits.suspended("mx.busy.test", "busy.test"));
        assertEquals(start.plus(Duration.ofMinutes(10)), limits.suspendedUntil("busy.test"));
        clock.advance(Duration.ofMinutes(11));
        assertFalse(limits.suspended("mx.busy.test", "busy.test"), "the suspension ends");
    }

    @Test
    void domainRateShouldSpaceMessages() {
        DestinationLimits limits = new DestinationLimits(new DestinationLimits.Settings(10, 50, 0, 0,
                Duration.ofMinutes(1), List.of()), Clock.systemUTC());
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            limits.awaitRate("rated.test");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 900, "100 messages at 50/s after a one-second burst take about a second, took "
                + millis + " ms");
    }
}
