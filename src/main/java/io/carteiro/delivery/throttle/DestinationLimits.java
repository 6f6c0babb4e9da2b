package io.carteiro.delivery.throttle;

import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * Traffic shaping per destination: concurrent connections per exchanger, a message rate per recipient domain and a
 * global one, and suspension of a destination that answers with many temporary failures in a row (its messages are
 * deferred, not failed, until the suspension ends). The configured limits are for the whole installation: each
 * instance takes its share from the number of live instances (their heartbeats), and suspensions are kept in a
 * {@link SuspensionStore} that every instance reads, so N replicas do not send N times the rate and a restart does
 * not forget a suspension.
 */
public final class DestinationLimits {

    private static final Logger LOG = Logger.getLogger(DestinationLimits.class);

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
    private final IntSupplier liveInstances;
    private final SuspensionStore store;
    private final Map<String, Slots> connections = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> domainRates = new ConcurrentHashMap<>();
    private final RateLimiter globalRate = new RateLimiter();
    private final Map<String, AtomicInteger> temporaryInARow = new ConcurrentHashMap<>();
    private final Map<String, Instant> suspendedUntil = new ConcurrentHashMap<>();

    public DestinationLimits(Settings settings, Clock clock, IntSupplier liveInstances, SuspensionStore store) {
        this.settings = settings;
        this.clock = clock;
        this.liveInstances = liveInstances;
        this.store = store;
    }

    /** This instance's part of an installation-wide limit: at least 1. */
    public int share(int limit) {
        return Math.max(1, limit / Math.max(1, liveInstances.getAsInt()));
    }

    /** Waits for a connection slot to this exchanger (this instance's share of its limit). */
    public Permit acquire(String exchangerHost, String domain) {
        Slots slots = connections.computeIfAbsent(exchangerHost, h -> new Slots());
        slots.acquire(() -> share(connectionLimit(exchangerHost, domain)));
        return slots::release;
    }

    /** Waits until the domain's and the global rate (this instance's share of each) allow one more message. */
    public void awaitRate(String domain) {
        double rate = rateFor(domain);
        int instances = Math.max(1, liveInstances.getAsInt());
        if (rate > 0) {
            domainRates.computeIfAbsent(domain, d -> new RateLimiter()).await(rate / instances);
        }
        if (settings.globalRate() > 0) {
            globalRate.await(settings.globalRate() / instances);
        }
    }

    /**
     * Counts temporary failures in a row per exchanger and per domain; after {@code suspendAfter} of them the
     * destination is suspended for {@code suspendFor}, here and, through the store, everywhere. Any success resets
     * the count.
     */
    public void recordReply(String exchangerHost, String domain, int code) {
        for (String key : new String[]{"mx:" + exchangerHost, "domain:" + domain}) {
            if (code >= 200 && code < 400) {
                temporaryInARow.remove(key);
            } else if (code >= 400 && code < 500) {
                int count = temporaryInARow.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                if (settings.suspendAfter() > 0 && count >= settings.suspendAfter()) {
                    Instant until = clock.instant().plus(settings.suspendFor());
                    suspendedUntil.put(key, until);
                    temporaryInARow.remove(key);
                    try {
                        store.suspend(key, until, count + " temporary failures in a row (last " + code + ")");
                    } catch (RuntimeException e) {
                        // kept here; the others learn of it when the database answers again
                        LOG.warnf("could not share the suspension of %s: %s", key, e.getMessage());
                    }
                }
            }
        }
    }

    /** Takes the suspensions every instance has recorded (called with each heartbeat). */
    public void refresh(Map<String, Instant> shared) {
        shared.forEach((key, until) -> suspendedUntil.merge(key, until, (a, b) -> a.isAfter(b) ? a : b));
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

    /** Counted connection slots whose limit is asked again at each acquire (it follows the live instance count). */
    static final class Slots {
        private int used;

        synchronized void acquire(IntSupplier limit) {
            boolean interrupted = false;
            while (used >= limit.getAsInt()) {
                try {
                    wait(1000); // the limit can grow when an instance leaves; look again now and then
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            used++;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized void release() {
            used--;
            notifyAll();
        }

        synchronized int used() {
            return used;
        }
    }

    /** Spaces messages evenly at a rate given with each call, allowing a burst of one second's worth. */
    static final class RateLimiter {
        private long nextFree = System.nanoTime();

        void await(double perSecond) {
            long intervalNanos = (long) (1_000_000_000L / perSecond);
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
