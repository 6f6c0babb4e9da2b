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

    /** Suspensions kept in a map, standing for the database table the instances share. */
    static final class SharedSuspensions implements SuspensionStore {
        final java.util.Map<String, Instant> rows = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void suspend(String destination, Instant until, String reason) {
            rows.put(destination, until);
        }

        @Override
        public java.util.Map<String, Instant> active(Instant now) {
            return java.util.Map.copyOf(rows);
        }
    }

    static DestinationLimits limits(Clock clock) {
        return limits(clock, () -> 1, new SharedSuspensions());
    }

    static DestinationLimits limits(Clock clock, java.util.function.IntSupplier live, SuspensionStore store) {
        return new DestinationLimits(new DestinationLimits.Settings(10, 0, 0, 3, Duration.ofMinutes(10), RULES),
                clock, live, store);
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
        DestinationLimits limits = limits(clock);
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
                Duration.ofMinutes(1), List.of()), Clock.systemUTC(), () -> 1, new SharedSuspensions());
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            limits.awaitRate("rated.test");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 900, "100 messages at 50/s after a one-second burst take about a second, took "
                + millis + " ms");
    }

    @Test
    void eachLiveInstanceShouldTakeItsShareOfTheLimits() {
        java.util.concurrent.atomic.AtomicInteger live = new java.util.concurrent.atomic.AtomicInteger(1);
        DestinationLimits limits = limits(Clock.systemUTC(), live::get, new SharedSuspensions());
        assertEquals(20, limits.share(20));
        live.set(2);
        assertEquals(10, limits.share(20), "two instances: half each");
        live.set(3);
        assertEquals(6, limits.share(20));
        live.set(40);
        assertEquals(1, limits.share(20), "never less than one");
    }

    @Test
    void domainRateShouldBeSharedByTheLiveInstances() {
        DestinationLimits limits = new DestinationLimits(new DestinationLimits.Settings(10, 100, 0, 0,
                Duration.ofMinutes(1), List.of()), Clock.systemUTC(), () -> 2, new SharedSuspensions());
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            limits.awaitRate("rated.test");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 900, "100/s over two instances is 50/s here: 100 messages take at least a second"
                + " after the burst, took " + millis + " ms");
    }

    @Test
    void aSuspensionShouldReachTheOtherInstancesAndOutliveARestart() {
        Instant start = Instant.parse("2026-03-01T10:00:00Z");
        MutableClock clock = new MutableClock(start);
        SharedSuspensions shared = new SharedSuspensions();
        DestinationLimits first = limits(clock, () -> 2, shared);
        for (int i = 0; i < 3; i++) {
            first.recordReply("mx.busy.test", "busy.test", 421);
        }
        assertTrue(first.suspended("mx.busy.test", "busy.test"));

        DestinationLimits other = limits(clock, () -> 2, shared); // another instance, or this one after a restart
        assertFalse(other.suspended("mx.busy.test", "busy.test"), "not known before it reads the shared state");
        other.refresh(shared.active(clock.instant()));
        assertTrue(other.suspended("mx.busy.test", "busy.test"));
        assertEquals(start.plus(Duration.ofMinutes(10)), other.suspendedUntil("busy.test"));
    }
}
