package io.carteiro.delivery;

import io.carteiro.delivery.throttle.DestinationLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Settles each message's result and stores it with a group commit: a result is decided (next attempt with backoff,
 * or expired, or final), appended to the {@link OutcomeJournal} at once, and written by one committer thread that
 * takes everything waiting and commits it in one transaction, so each outcome is stored within about one commit of
 * its reply. The {@link DeliveryOutcomeListener}s run inside that transaction. When the database does not answer,
 * the waiting results stay in memory and in the journal and are written when it answers again.
 */
final class OutcomeRecorder {

    private static final Logger LOG = Logger.getLogger(OutcomeRecorder.class);
    static final int MAX_GROUP = 1000;
    static final Duration PARKED_RETRY = Duration.ofSeconds(30);
    /** Writes of one group tried again at once after a broken connection, before its entries are taken apart. */
    static final int LINK_RETRIES = 5;
    /** A message that was not tried (its run could not render it, the engine stopped) is due again this soon. */
    static final Duration UNTRIED_DELAY = Duration.ofSeconds(10);

    /** Where settled entries go: the transaction that stores them and calls the listeners. */
    interface Store {
        /** Writes the entries and calls the listeners in one transaction; returns those that applied. */
        List<OutcomeEntry> write(List<OutcomeEntry> entries);

        /** Whether the database answers at all (tells an outage from a bad entry). */
        boolean answers();
    }

    private final String owner;
    private final Store store;
    private final OutcomeJournal journal;
    private final RetrySchedule retries;
    private final DestinationLimits limits;
    private final Duration giveUpAfter;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final DatabaseOutage outage;
    private final ArrayDeque<OutcomeEntry> waiting = new ArrayDeque<>(); // guarded by itself
    private final List<OutcomeEntry> parked = new ArrayList<>();
    private long parkedUntil;
    private List<OutcomeEntry> writing = List.of(); // guarded by waiting
    private volatile boolean stopping;
    private Thread committer;

    OutcomeRecorder(String owner, Store store, OutcomeJournal journal, RetrySchedule retries,
                    DestinationLimits limits, Duration giveUpAfter, Clock clock, MeterRegistry metrics,
                    DatabaseOutage outage) {
        this.owner = owner;
        this.store = store;
        this.journal = journal;
        this.retries = retries;
        this.limits = limits;
        this.giveUpAfter = giveUpAfter;
        this.clock = clock;
        this.metrics = metrics;
        this.outage = outage;
    }

    void start() {
        committer = new Thread(this::commitLoop, "carteiro-outcomes");
        committer.setDaemon(true);
        committer.start();
    }

    /** Settles a result and queues it for the next group commit; returns at once. */
    void submit(MessageResult result) {
        submitAll(List.of(result));
    }

    void submitAll(List<MessageResult> results) {
        List<OutcomeEntry> entries = new ArrayList<>(results.size());
        for (MessageResult r : results) {
            entries.add(settle(r));
        }
        journal.append(entries);
        synchronized (waiting) {
            waiting.addAll(entries);
            waiting.notifyAll();
        }
    }

    /** Results waiting to be stored. */
    int waiting() {
        synchronized (waiting) {
            return waiting.size() + writing.size() + parked.size();
        }
    }

    /** The messages whose results are waiting to be stored (their claims must not be given back). */
    Set<Long> pendingIds() {
        Set<Long> ids = new HashSet<>();
        synchronized (waiting) {
            for (List<OutcomeEntry> entries : List.of(List.copyOf(waiting), writing, parked)) {
                entries.forEach(e -> ids.add(e.id()));
            }
        }
        return ids;
    }

    /**
     * Stores what is waiting, then stops the committer; returns false when the database did not take everything
     * before the deadline (the rest stays in the journal for the next start).
     */
    boolean stop(Instant deadline) {
        stopping = true;
        synchronized (waiting) {
            waiting.notifyAll();
        }
        try {
            committer.join(Math.max(1, Duration.between(clock.instant(), deadline).toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        committer.interrupt();
        return waiting() == 0;
    }

    /** Decides what a result means for its row: the next attempt of a deferral, or expiry, or the final state. */
    OutcomeEntry settle(MessageResult result) {
        Instant now = clock.instant();
        AttemptRecord last = result.last();
        OutboundRow row = result.row();
        OutcomeKind kind = last.kind();
        String text = last.reply();
        Instant next = null;
        MessageResult settled = result;
        if (kind == OutcomeKind.DEFERRED) {
            Instant expires = row.expiresAt() != null ? row.expiresAt() : row.createdAt().plus(giveUpAfter);
            next = result.counted() ? retries.next(now, row.attempts() + 1, expires) : now.plus(UNTRIED_DELAY);
            if (next == null) {
                kind = OutcomeKind.EXPIRED;
                text = "gave up after " + (row.attempts() + 1) + " attempts: " + last.reply();
                AttemptRecord expired = last.as(kind, text);
                List<AttemptRecord> attempts = new ArrayList<>(result.attempts());
                if (!attempts.isEmpty()) {
                    attempts.set(attempts.size() - 1, expired); // the attempt log says where it ended
                }
                settled = new MessageResult(row, result.messageId(), attempts, expired, true);
            } else {
                Instant suspended = limits.suspendedUntil(row.recipientDomain());
                if (suspended != null && suspended.isAfter(next)) {
                    next = suspended;
                }
            }
        }
        return new OutcomeEntry(owner, settled, kind == OutcomeKind.DEFERRED ? "deferred" : kind.finalState(),
                next, kind, text);
    }

    private void commitLoop() {
        while (true) {
            List<OutcomeEntry> group = new ArrayList<>();
            synchronized (waiting) {
                while (waiting.isEmpty() && !(stopping && parked.isEmpty()) && !parkedDue()) {
                    try {
                        waiting.wait(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (waiting.isEmpty() && stopping && (parked.isEmpty() || !parkedDue())) {
                    return;
                }
                while (!waiting.isEmpty() && group.size() < MAX_GROUP) {
                    group.add(waiting.poll());
                }
                writing = group;
            }
            if (!group.isEmpty()) {
                commit(group);
                synchronized (waiting) {
                    writing = List.of();
                }
            }
            retryParked();
        }
    }

    private boolean parkedDue() {
        return !parked.isEmpty() && System.nanoTime() - parkedUntil >= 0;
    }

    /** Writes a group until it is stored, or parks entries that fail although the database answers. */
    private void commit(List<OutcomeEntry> group) {
        long backoff = 100;
        int linkRetries = 0;
        while (true) {
            try {
                List<OutcomeEntry> applied = DeadlockRetry.call(() -> store.write(group));
                outage.answered();
                journal.stored(group.size());
                count(applied);
                return;
            } catch (RuntimeException e) {
                if (store.answers()) {
                    // A group that failed on a broken connection (its server died; the driver failed over) is not
                    // at fault: write it again on a sound one, rather than parking its outcomes for half a minute,
                    // during which the messages could be taken for unsent and sent again by another instance.
                    if (DeadlockRetry.isLinkLost(e) && linkRetries++ < LINK_RETRIES) {
                        continue;
                    }
                    isolate(group, e);
                    return;
                }
                outage.failed("storing delivery outcomes", e);
                if (stopping && Thread.currentThread().isInterrupted()) {
                    return;
                }
                if (!pause(backoff)) {
                    return;
                }
                backoff = Math.min(2000, backoff * 2);
            }
        }
    }

    /** A group failed with the database up: write its entries one by one; park those that still fail. */
    private void isolate(List<OutcomeEntry> group, RuntimeException cause) {
        if (group.size() == 1) {
            OutcomeEntry entry = group.get(0);
            LOG.errorf("could not store the outcome of message %d (%s); kept in the journal, tried again every %d s",
                    entry.id(), DatabaseOutage.rootCause(cause), PARKED_RETRY.toSeconds());
            synchronized (waiting) {
                parked.add(entry);
                parkedUntil = System.nanoTime() + PARKED_RETRY.toNanos();
            }
            return;
        }
        for (OutcomeEntry entry : group) {
            try {
                List<OutcomeEntry> applied = DeadlockRetry.call(() -> store.write(List.of(entry)));
                journal.stored(1);
                count(applied);
            } catch (RuntimeException e) {
                isolate(List.of(entry), e);
            }
        }
    }

    private void retryParked() {
        List<OutcomeEntry> again;
        synchronized (waiting) {
            if (!parkedDue()) {
                return;
            }
            again = new ArrayList<>(parked);
            parked.clear();
        }
        for (OutcomeEntry entry : again) {
            try {
                count(DeadlockRetry.call(() -> store.write(List.of(entry))));
                journal.stored(1);
            } catch (RuntimeException e) {
                synchronized (waiting) {
                    parked.add(entry);
                    parkedUntil = System.nanoTime() + PARKED_RETRY.toNanos();
                }
            }
        }
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis); // backing off from a database that does not answer
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void count(List<OutcomeEntry> applied) {
        for (OutcomeEntry e : applied) {
            metrics.counter("carteiro.delivery.messages", "outcome", e.kind().column(), "domain",
                    e.result().row().recipientDomain()).increment();
        }
    }

    /** The store on the database: the queue's rows, then the listeners, in one transaction. */
    static Store onDatabase(OutboundRepository repository, Iterable<DeliveryOutcomeListener> listeners,
                            BooleanSupplier answers) {
        return new Store() {
            @Override
            public List<OutcomeEntry> write(List<OutcomeEntry> entries) {
                return QuarkusTransaction.requiringNew().call(() -> {
                    List<OutcomeEntry> applied = repository.write(entries);
                    List<DeliveryOutcome> finals = new ArrayList<>();
                    for (OutcomeEntry e : applied) {
                        if (e.settlesTheMessage()) {
                            finals.add(e.outcome());
                        }
                    }
                    if (!finals.isEmpty()) {
                        for (DeliveryOutcomeListener listener : listeners) {
                            listener.onFinalOutcomes(finals);
                        }
                    }
                    return applied;
                });
            }

            @Override
            public boolean answers() {
                return answers.getAsBoolean();
            }
        };
    }
}
