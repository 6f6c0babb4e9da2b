package io.carteiro.delivery;

import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The queue consumer: claims due rows while this instance holds fewer than its active limit, leaving out the
 * destinations whose queues are full, renders them with the {@link MessageContentSource}s and hands them to the
 * {@link DestinationScheduler}. Woken when messages become due, when room frees up, or after the idle poll. While
 * the queue fills in bulk ({@link QueueFilling}) it claims one chunk at a time at the fill pace.
 */
final class QueueClaimer implements Runnable {

    private static final Logger LOG = Logger.getLogger(QueueClaimer.class);

    /** A counter the claimer waits on; bumped by whatever may give it work. */
    static final class Wake {
        private long count;

        synchronized void signal() {
            count++;
            notifyAll();
        }

        synchronized long seen() {
            return count;
        }

        /** Waits until signalled after {@code seen}, at most {@code max}. */
        synchronized void await(long seen, Duration max) throws InterruptedException {
            long until = System.nanoTime() + max.toNanos();
            long left;
            while (count == seen && (left = until - System.nanoTime()) > 0) {
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private final String owner;
    private final DeliveryConfig config;
    private final OutboundRepository repository;
    private final Instance<MessageContentSource> sources;
    private final Instance<QueueFilling> fills;
    private final DestinationScheduler scheduler;
    private final OutcomeRecorder recorder;
    private final MessagePreparer preparer;
    private final DatabaseOutage outage;
    private final Clock clock;
    private final Wake wake;
    private volatile boolean running = true;
    /**
     * How often the claimer checks that its claims in the database are what it holds. A claim whose COMMIT went
     * through while the link to the server failed (a Galera node killed mid-commit: the driver reports the
     * transaction lost and fails over) leaves rows claimed by this instance that it never saw; it never claims its
     * own rows again and renews their lease with the others, so without this they would wait forever.
     */
    static final long RECONCILE_EVERY = TimeUnit.SECONDS.toNanos(30);
    private long reconciled = System.nanoTime();
    private boolean unsure;

    QueueClaimer(String owner, DeliveryConfig config, OutboundRepository repository,
                 Instance<MessageContentSource> sources, Instance<QueueFilling> fills, DestinationScheduler scheduler,
                 OutcomeRecorder recorder, MessagePreparer preparer, DatabaseOutage outage, Clock clock, Wake wake) {
        this.owner = owner;
        this.config = config;
        this.repository = repository;
        this.sources = sources;
        this.fills = fills;
        this.scheduler = scheduler;
        this.recorder = recorder;
        this.preparer = preparer;
        this.outage = outage;
        this.clock = clock;
        this.wake = wake;
    }

    void stop() {
        running = false;
        wake.signal();
    }

    @Override
    public void run() {
        int batch = Math.max(1, config.batchSize());
        int active = Math.max(batch, config.activeLimit());
        while (running) {
            long seen = wake.seen();
            try {
                if (filling()) {
                    atFillPace(seen);
                    continue;
                }
                if (unsure || System.nanoTime() - reconciled >= RECONCILE_EVERY) {
                    reconcile();
                }
                int room = active - scheduler.held();
                if (room < Math.max(1, batch / 4)) {
                    wake.await(seen, config.idlePoll());
                    continue;
                }
                int limit = Math.min(batch, room);
                int claimed = claim(limit);
                if (claimed < limit) {
                    wake.await(seen, config.idlePoll());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                unsure = true; // the failed work may have claimed rows (a commit unseen) or dropped claimed ones
                if (repository.answers()) {
                    LOG.errorf(e, "claiming due messages failed"); // not the database: a fault of ours
                } else {
                    outage.failed("claiming due messages", e);
                }
                try {
                    wake.await(seen, config.idlePoll());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * Gives back the rows claimed in this instance's name that it does not hold. Runs on the claimer's own thread,
     * so no claim is half-way; the scheduler is read before the recorder because a message reaches the recorder
     * before it leaves the scheduler, so none is missed while it moves from one to the other.
     */
    private void reconcile() {
        java.util.Set<Long> keep = scheduler.heldIds();
        keep.addAll(recorder.pendingIds());
        int released = repository.releaseAllBut(owner, keep, clock.instant());
        reconciled = System.nanoTime();
        unsure = false;
        if (released > 0) {
            LOG.infof("gave back %d claims of this instance that it did not hold (a claim committed while the link"
                    + " to the database failed)", released);
        }
    }

    /** While the queue fills: one chunk when the last one is settled and stored, paced to the fill rate. */
    private void atFillPace(long seen) throws InterruptedException {
        if (config.rateWhileFilling() <= 0 || scheduler.held() > 0 || recorder.waiting() > 0) {
            wake.await(seen, config.idlePoll());
            return;
        }
        long started = System.nanoTime();
        int claimed = claim(Math.max(1, config.chunkSize()));
        if (claimed == 0) {
            wake.await(seen, config.idlePoll());
            return;
        }
        long due = started + (long) (claimed * 1e9 / config.rateWhileFilling());
        TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime())); // a pace, not a wait for an event
    }

    private int claim(int limit) {
        Instant now = clock.instant();
        List<OutboundRow> rows = repository.claimDue(owner, now, config.lease(), limit, scheduler.saturated());
        outage.answered();
        if (rows.isEmpty()) {
            return 0;
        }
        List<Claimed> ready = new ArrayList<>(rows.size());
        List<MessageResult> unready = new ArrayList<>();
        Map<Long, RenderedMessage> contents;
        try {
            contents = render(rows);
        } catch (RuntimeException e) {
            // Not the message's fault (the database went away mid-way, say): it goes back, untried.
            LOG.warnf("could not render %d claimed messages (%s); they are due again in %d s", rows.size(),
                    DatabaseOutage.rootCause(e), OutcomeRecorder.UNTRIED_DELAY.toSeconds());
            rows.forEach(r -> unready.add(DestinationRun.untried(r, preparer.messageIdOf(r), "not rendered: " + DatabaseOutage.rootCause(e))));
            recorder.submitAll(unready);
            return rows.size();
        }
        for (OutboundRow row : rows) {
            RenderedMessage content = contents.get(row.id());
            if (content != null) {
                ready.add(new Claimed(row, content));
            } else {
                AttemptRecord none = AttemptRecord.note(row.id(), clock.instant(), null, "no content for this message",
                        OutcomeKind.FAILED);
                unready.add(new MessageResult(row, preparer.messageIdOf(row), List.of(none), none, true));
            }
        }
        if (!unready.isEmpty()) {
            recorder.submitAll(unready);
        }
        List<Claimed> refused = scheduler.add(ready);
        if (!refused.isEmpty()) { // the engine is stopping: what it will not send goes back at once
            repository.release(owner, refused.stream().map(c -> c.row().id()).toList(), clock.instant());
        }
        return rows.size();
    }

    private Map<Long, RenderedMessage> render(List<OutboundRow> rows) {
        Map<Long, RenderedMessage> contents = new LinkedHashMap<>();
        List<MessageContentSource> ordered = sources.stream()
                .sorted(Comparator.comparingInt(MessageContentSource::order)).toList();
        List<OutboundRow> left = rows;
        for (MessageContentSource source : ordered) {
            if (left.isEmpty()) {
                break;
            }
            contents.putAll(source.renderAll(left));
            left = left.stream().filter(r -> !contents.containsKey(r.id())).toList();
        }
        return contents;
    }

    private boolean filling() {
        for (QueueFilling fill : fills) {
            if (fill.filling()) {
                return true;
            }
        }
        return false;
    }
}
