package io.carteiro.delivery.mtasts;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Counts failed TLS policy checks in memory and adds them to {@link TlsFailureStore} every second, so that a
 * delivery session reporting a failure never waits for the database, and a domain that fails every session costs
 * one row update per second rather than one per session. A kill -9 loses at most the last second's counts (report
 * figures, not mail); a clean shutdown writes them. Days older than {@link #KEEP_DAYS} are dropped once an hour.
 */
@ApplicationScoped
class TlsFailureCounts {

    private static final Logger LOG = Logger.getLogger(TlsFailureCounts.class);

    /** Days of counts kept: enough for daily TLS-RPT reports to be sent late, and for an operator to look back. */
    static final int KEEP_DAYS = 60;

    private record Key(LocalDate day, String domain, String policyType, TlsResultType type, String mxHost) {
    }

    private static final class Tally {
        long count;
        Instant first;
        Instant last;
        String detail;
    }

    @Inject
    TlsFailureStore store;

    @Inject
    Clock clock;

    private final Map<Key, Tally> pending = new ConcurrentHashMap<>();
    private ScheduledExecutorService flusher;

    void onStart(@Observes StartupEvent event) {
        flusher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "tls-failure-counts");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
        flusher.scheduleWithFixedDelay(this::pruneQuietly, 1, 60, TimeUnit.MINUTES);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        flushQuietly();
    }

    void add(String domain, String policyType, TlsResultType type, String mxHost, String detail) {
        Instant now = clock.instant();
        Key key = new Key(LocalDate.ofInstant(now, ZoneOffset.UTC), domain, policyType, type,
                mxHost == null ? "" : mxHost);
        pending.compute(key, (k, tally) -> {
            Tally t = tally == null ? new Tally() : tally;
            t.count++;
            t.first = t.first == null ? now : t.first;
            t.last = now;
            t.detail = detail;
            return t;
        });
    }

    /** Writes what was counted since the last flush; on failure the counts are put back for the next one. */
    synchronized void flush() {
        List<TlsFailureStore.DailyFailures> batch = new ArrayList<>();
        for (Key key : List.copyOf(pending.keySet())) {
            Tally t = pending.remove(key);
            if (t != null) {
                batch.add(new TlsFailureStore.DailyFailures(key.day(), key.domain(), key.policyType(),
                        key.type().wire(), key.mxHost(), t.count, t.first, t.last, t.detail));
            }
        }
        try {
            store.add(batch);
        } catch (RuntimeException e) {
            for (TlsFailureStore.DailyFailures f : batch) {
                Key key = new Key(f.day(), f.domain(), f.policyType(), TlsResultType.fromWire(f.resultType()),
                        f.mxHost());
                pending.merge(key, tally(f), TlsFailureCounts::sum);
            }
            throw e;
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf("TLS policy failure counts not written yet (kept for the next try): %s", e.getMessage());
        }
    }

    private void pruneQuietly() {
        try {
            store.deleteBefore(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(KEEP_DAYS));
        } catch (RuntimeException e) {
            LOG.warnf("old TLS policy failure counts not pruned: %s", e.getMessage());
        }
    }

    private static Tally tally(TlsFailureStore.DailyFailures f) {
        Tally t = new Tally();
        t.count = f.failures();
        t.first = f.firstAt();
        t.last = f.lastAt();
        t.detail = f.lastDetail();
        return t;
    }

    private static Tally sum(Tally a, Tally b) {
        Tally t = new Tally();
        t.count = a.count + b.count;
        t.first = a.first.isBefore(b.first) ? a.first : b.first;
        t.last = a.last.isAfter(b.last) ? a.last : b.last;
        t.detail = a.last.isAfter(b.last) ? a.detail : b.detail;
        return t;
    }
}
