package io.carteiro.delivery.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Traffic shaping per destination, in this process: concurrent connections per exchanger, a message rate per
 * recipient domain and a global one, and suspension of a destination that answers with many temporary failures in
 * a row (its messages are deferred, not failed, until the suspension ends).
 */
public final class DestinationLimits {

    /** Settings: defaults for every destination and the rules that override them. */
    public record Settings(int connectionsPerExchanger, double ratePerDomain, double globalRate, int suspendAfter,
                           Duration suspendFor, List<ShapingRule> rules) {
    }

    /** A held connection slot; release it when the connection is handed back. */
    public interface Permit {
        void release();
    }

    private final Settings settings;
    private final Clock clock;
    private final Map<String, Semaphore> connections = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> domainRates = new ConcurrentHashMap<>();
    private final RateLimiter globalRate;
    private final Map<String, AtomicInteger> temporaryInARow = new ConcurrentHashMap<>();
    private final Map<String, Instant> suspendedUntil = new ConcurrentHashMap<>();

    public DestinationLimits(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.globalRate = settings.globalRate() > 0 ? new RateLimiter(settings.globalRate()) : null;
    }

    /** Waits for a connection slot to this exchanger. */
    public Permit acquire(String exchangerHost, String domain) {
        Semaphore slots = connections.computeIfAbsent(exchangerHost,
                h -> new Semaphore(connectionLimit(exchangerHost, domain), true));
        slots.acquireUninterruptibly();
        return slots::release;
    }

    /** Waits until the domain's and the global rate allow one more message. */
    public void awaitRate(String domain) {
        double rate = rateFor(domain);
        if (rate > 0) {
            domainRates.computeIfAbsent(domain, d -> new RateLimiter(rate)).await();
        }
        if (globalRate != null) {
            globalRate.await();
        }
    }

    /**
     * Counts temporary failures in a row per exchanger and per domain; after {@code suspendAfter} of them the
     * destination is suspended for {@code suspendFor}. Any success resets the count.
     */
    public void recordReply(String exchangerHost, String domain, int code) {
        for (String key : new String[]{"mx:" + exchangerHost, "domain:" + domain}) {
            if (code >= 200 && code < 400) {
                temporaryInARow.remove(key);
            } else if (code >= 400 && code < 500) {
                int count = temporaryInARow.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                if (settings.suspendAfter() > 0 && count >= settings.suspendAfter()) {
                    suspendedUntil.put(key, clock.instant().plus(settings.suspendFor()));
                    temporaryInARow.remove(key);
                }
            }
        }
    }

    /** Whether this exchanger or this domain is suspended now. */
    public boolean suspended(String exchangerHost, String domain) {
        Instant now = clock.instant();
        for (String key : new String[]{"mx:" + exchangerHost, "domain:" + domain}) {
            Instant until = suspendedUntil.get(key);
            if (until != null) {
                if (until.isAfter(now)) {
                    return true;
                }
                suspendedUntil.remove(key, until);
            }
        }
        return false;
    }

    /** When this domain's suspension ends, if it is suspended. */
    public Instant suspendedUntil(String domain) {
        return suspendedUntil.get("domain:" + domain);
    }

    int connectionLimit(String exchangerHost, String domain) {
        for (ShapingRule rule : settings.rules()) {
            if (rule.connections() > 0 && (rule.matches(exchangerHost) || rule.matches(domain))) {
                return rule.connections();
            }
        }
        return Math.max(1, settings.connectionsPerExchanger());
    }

    double rateFor(String domain) {
        for (ShapingRule rule : settings.rules()) {
            if (rule.ratePerSecond() > 0 && rule.matches(domain)) {
                return rule.ratePerSecond();
            }
        }
        return settings.ratePerDomain();
    }

    /** Spaces messages evenly at a rate, allowing a burst of one second's worth. */
    static final class RateLimiter {
        private final long intervalNanos;
        private long nextFree = System.nanoTime();

        RateLimiter(double perSecond) {
            this.intervalNanos = (long) (1_000_000_000L / perSecond);
        }

        void await() {
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                long earliest = now - 1_000_000_000L;
                if (nextFree < earliest) {
                    nextFree = earliest;
                }
                wait = nextFree - now;
                nextFree += intervalNanos;
            }
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }
}
