package io.carteiro.engagement;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes hits durably in group commits: every hit waiting when the writer is free goes into one multi-row INSERT
 * and one commit, and each request learns when its hit is committed. A burst of clicks therefore costs one fsync
 * per batch, not per click. While the database fails, the batch is kept and retried with a growing pause (its
 * requests are answered at once); hits beyond {@code carteiro.engagement.max-uncommitted} are not counted.
 */
@ApplicationScoped
class HitRecorder {

    private static final Logger LOG = Logger.getLogger(HitRecorder.class);

    private record Waiting(Hit hit, CompletableFuture<Boolean> committed) {
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EngagementConfig config;

    @Inject
    MeterRegistry metrics;

    private LinkedBlockingQueue<Waiting> queue;
    private volatile boolean running;
    private Thread writer;
    private Counter dropped;

    void start(@Observes StartupEvent event) {
        queue = new LinkedBlockingQueue<>(config.maxUncommitted());
        dropped = metrics.counter("carteiro.engagement.hits.dropped");
        running = true;
        writer = new Thread(this::run, "engagement-hit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (writer != null) {
            writer.interrupt();
            try {
                writer.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Queues the hit; the future is true once it is committed, false when it could not be (yet). */
    CompletableFuture<Boolean> record(Hit hit) {
        CompletableFuture<Boolean> committed = new CompletableFuture<>();
        if (queue == null || !queue.offer(new Waiting(hit, committed))) {
            dropped.increment();
            committed.complete(false);
        }
        return committed;
    }

    private void run() {
        List<Waiting> batch = new ArrayList<>();
        long pauseMillis = 0;
        while (running || !queue.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Waiting first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, config.commitBatch() - 1);
                }
                write(batch);
                batch.forEach(w -> w.committed().complete(true));
                batch.clear();
                pauseMillis = 0;
            } catch (InterruptedException e) {
                if (!running) {
                    drainOnShutdown(batch);
                    return;
                }
            } catch (SQLException | RuntimeException e) {
                // The requests do not wait for a database that fails; the hits stay in this batch and are retried.
                batch.forEach(w -> w.committed().complete(false));
                pauseMillis = Math.min(30_000, Math.max(250, pauseMillis * 2));
                LOG.warnf("could not write %d tracking hits (retrying in %d ms): %s", batch.size(), pauseMillis,
                        e.getMessage());
                if (!pause(pauseMillis)) {
                    drainOnShutdown(batch);
                    return;
                }
            }
        }
    }

    /** One last attempt at what is held when the process stops. */
    private void drainOnShutdown(List<Waiting> batch) {
        queue.drainTo(batch);
        if (batch.isEmpty()) {
            return;
        }
        try {
            write(batch);
            batch.forEach(w -> w.committed().complete(true));
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("%d tracking hits were not written before shutdown: %s", batch.size(), e.getMessage());
            batch.forEach(w -> w.committed().complete(false));
        }
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis); // backing off from a database that fails
            return true;
        } catch (InterruptedException e) {
            return running;
        }
    }

    private void write(List<Waiting> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO engagement_pending (campaign_id, list_id, kind, link_no, anonymous, recipient_key,
                                                    domain, sent_at, at, signals)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (Waiting w : batch) {
                    TrackingToken t = w.hit().token();
                    s.setLong(1, t.campaignId());
                    s.setLong(2, t.listId());
                    s.setInt(3, t.kind().code);
                    s.setInt(4, t.linkNo());
                    s.setBoolean(5, t.anonymous());
                    s.setLong(6, t.recipientKey());
                    s.setString(7, t.domain());
                    s.setObject(8, LocalDateTime.ofInstant(t.sentAt(), ZoneOffset.UTC));
                    s.setObject(9, LocalDateTime.ofInstant(w.hit().at(), ZoneOffset.UTC));
                    s.setInt(10, w.hit().signals());
                    s.addBatch();
                }
                s.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }
}
