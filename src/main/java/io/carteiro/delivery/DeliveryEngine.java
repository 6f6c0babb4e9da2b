package io.carteiro.delivery;

import io.carteiro.delivery.throttle.DestinationLimits;
import io.carteiro.delivery.throttle.ShapingRule;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * The delivery engine of this process: starts and stops its parts in order. At start it registers the instance
 * row, replays journals that dead instances left in the data folder (and releases their claims at once), then runs
 * the {@link QueueClaimer}, the {@link DestinationScheduler} with its {@link DestinationRun}s on a pool of session
 * threads, the {@link OutcomeRecorder}'s group commit and the {@link InstanceHeartbeat}. At SIGTERM it stops
 * claiming, gives back every claim no session has started, lets sessions in a transaction finish for the shutdown
 * grace, stores their outcomes and releases whatever is left, before the database goes.
 */
@ApplicationScoped
class DeliveryEngine {

    private static final Logger LOG = Logger.getLogger(DeliveryEngine.class);

    @Inject
    DeliveryConfig config;
    @Inject
    OutboundRepository repository;
    @Inject
    InstanceRepository instances;
    @Inject
    Routes routes;
    @Inject
    MessagePreparer preparer;
    @Inject
    Instance<MessageContentSource> contentSources;
    @Inject
    Instance<DeliveryOutcomeListener> listeners;
    @Inject
    Instance<QueueFilling> fills;
    @Inject
    Clock clock;
    @Inject
    MeterRegistry metrics;
    @ConfigProperty(name = "carteiro.data-dir", defaultValue = "carteiro-data")
    Path dataDir;

    private final String host = hostName();
    private final String owner = host + "/" + ProcessHandle.current().pid() + "/"
            + UUID.randomUUID().toString().substring(0, 8);
    private final QueueClaimer.Wake wake = new QueueClaimer.Wake();
    private final DatabaseOutage outage = new DatabaseOutage(this::outcomesWaiting);
    private volatile InstanceHeartbeat heartbeat;
    private DestinationLimits limits;
    private ConnectionCache connections;
    private boolean running;
    private volatile Parts parts;

    /** What one start of the engine runs; a stop ends it all. */
    private record Parts(OutcomeJournal journal, OutcomeRecorder recorder, DestinationScheduler scheduler,
                         QueueClaimer claimer, Thread claimerThread, ExecutorService workers,
                         ScheduledExecutorService ticks) {
    }

    @PostConstruct
    void init() {
        List<ShapingRule> rules = new ArrayList<>();
        config.throttle().rules().forEach((pattern, rule) ->
                rules.add(new ShapingRule(pattern, rule.connections(), rule.rate())));
        var t = config.throttle();
        limits = new DestinationLimits(new DestinationLimits.Settings(t.connectionsPerExchanger(), t.ratePerDomain(),
                t.globalRate(), t.suspendAfter(), t.suspendFor(), rules), clock,
                () -> heartbeat == null ? 1 : heartbeat.live(), instances);
        connections = new ConnectionCache(config.maxMessagesPerConnection(), config.maxConnectionAge(),
                config.connectionCacheTime());
        Gauge.builder("carteiro.delivery.queue.depth", repository, OutboundRepository::depth)
                .description("messages waiting to be sent (queued, deferred or being sent)").register(metrics);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.senderEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Wakes the claimer: messages became due (see {@link MessagesDue}). */
    void onMessagesDue(@Observes(during = TransactionPhase.AFTER_SUCCESS) MessagesDue event) {
        wake.signal();
    }

    /** This instance's name in claims (lease_owner) and in delivery_instance. */
    String owner() {
        return owner;
    }

    synchronized boolean running() {
        return running;
    }

    /** Starts the engine of this process (once; again after {@link #stop()}). */
    synchronized void start() {
        if (running) {
            return;
        }
        OutcomeJournal journal;
        try {
            journal = OutcomeJournal.open(dataDir.resolve("delivery-journal"), owner);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the delivery journal in " + dataDir, e);
        }
        OutcomeRecorder recorder = new OutcomeRecorder(owner, OutcomeRecorder.onDatabase(repository, listeners,
                repository::answers), journal, new RetrySchedule(config.firstRetry(), config.maxRetryInterval(),
                RandomGenerator.getDefault()), limits, config.giveUpAfter(), clock, metrics, outage);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
            Thread thread = new Thread(r, "carteiro-smtp-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        DestinationRun.Parts runParts = new DestinationRun.Parts(routes, preparer, connections, limits, recorder,
                clock, config.destination() == DeliveryConfig.DestinationKey.MX_HOSTS);
        DestinationScheduler[] scheduler = new DestinationScheduler[1];
        scheduler[0] = new DestinationScheduler(new DestinationScheduler.Limits(Math.max(1, config.sessions()),
                Math.max(1, config.destinationQueueLimit()), config.initialDestinationConcurrency(),
                () -> limits.share(config.destinationConcurrency())), workers,
                slot -> new DestinationRun(scheduler[0], slot, runParts), wake::signal);
        QueueClaimer claimer = new QueueClaimer(owner, config, repository, contentSources, fills, scheduler[0],
                recorder, preparer, outage, clock, wake);
        heartbeat = new InstanceHeartbeat(owner, config, instances, repository, limits, outage,
                () -> replayOrphans(journal), scheduler[0]::abandon, clock);
        heartbeat.register(host);
        replayOrphans(journal);
        recorder.start();
        ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2, r -> {
            Thread thread = new Thread(r, "carteiro-delivery-ticks");
            thread.setDaemon(true);
            return thread;
        });
        InstanceHeartbeat beat = heartbeat;
        ticks.scheduleWithFixedDelay(beat, config.heartbeatInterval().toMillis(),
                config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        ticks.scheduleWithFixedDelay(() -> {
            connections.closeIdle();
            outage.checkStalled(config.heartbeatInterval().multipliedBy(3));
        }, 250, 250, TimeUnit.MILLISECONDS);
        Thread claimerThread = new Thread(claimer, "carteiro-claimer");
        claimerThread.setDaemon(true);
        claimerThread.start();
        parts = new Parts(journal, recorder, scheduler[0], claimer, claimerThread, workers, ticks);
        running = true;
        LOG.infof("delivery engine started as %s (journal %s)", owner, journal.file());
    }

    /**
     * Stops in order: no more claims; claims no session has started go back at once; sessions get the shutdown
     * grace to finish their transaction, then are cut; outcomes are stored; what is left is released.
     */
    synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        Parts p = parts;
        Instant deadline = clock.instant().plus(config.shutdownGrace());
        p.claimer().stop();
        p.claimerThread().interrupt();
        try {
            p.claimerThread().join(config.shutdownGrace().toMillis()); // a claim under way ends before the scheduler
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Claimed> unstarted = p.scheduler().stop();
        try {
            int released = repository.release(owner, unstarted.stream().map(c -> c.row().id()).toList(),
                    clock.instant());
            LOG.infof("delivery engine stopping: %d claimed messages given back", released);
        } catch (RuntimeException e) {
            LOG.warnf("could not give back %d claims (%s); they return when this instance's heartbeat stops",
                    unstarted.size(), DatabaseOutage.rootCause(e));
        }
        try {
            if (!p.scheduler().awaitRuns(config.shutdownGrace().toMillis())) {
                io.carteiro.delivery.smtp.SmtpSession.cutAll("Carteiro is shutting down");
                p.scheduler().awaitRuns(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.workers().shutdownNow();
        boolean stored = p.recorder().stop(deadline.plusSeconds(5));
        p.ticks().shutdownNow();
        try {
            // Claims whose outcome is only in the journal stay claimed until the journal is replayed.
            repository.releaseAllBut(owner, p.recorder().pendingIds(), clock.instant());
            heartbeat.unregister();
        } catch (RuntimeException e) {
            LOG.warnf("could not release the remaining claims (%s)", DatabaseOutage.rootCause(e));
        }
        connections.closeAll();
        try {
            p.journal().close();
        } catch (IOException e) {
            LOG.warnf("could not close the delivery journal: %s", e.getMessage());
        }
        if (!stored) {
            LOG.warnf("delivery engine stopped with outcomes not yet stored; they stay in %s for the next start",
                    p.journal().file());
        }
    }

    /**
     * Stores what dead instances' journals hold, releases those instances' claims at once (their journals prove they
     * are gone) and deletes the journals; a journal the database does not take is kept for the next heartbeat.
     */
    private void replayOrphans(OutcomeJournal journal) {
        for (OutcomeJournal.Orphan orphan : journal.orphans()) {
            try {
                List<OutcomeEntry> entries = orphan.entries();
                int applied = 0;
                for (int from = 0; from < entries.size(); from += OutcomeRecorder.MAX_GROUP) {
                    List<OutcomeEntry> part = entries.subList(from, Math.min(entries.size(),
                            from + OutcomeRecorder.MAX_GROUP));
                    applied += DeadlockRetry.call(() -> OutcomeRecorder.onDatabase(repository, listeners,
                            repository::answers).write(part)).size();
                }
                int released = repository.release(orphan.owner(), null, clock.instant());
                instances.remove(orphan.owner());
                orphan.discard();
                LOG.infof("replayed the delivery journal of %s: %d of %d outcomes stored now, %d claims released",
                        orphan.owner(), applied, entries.size(), released);
            } catch (RuntimeException | IOException e) {
                LOG.warnf("could not replay the delivery journal of %s yet: %s", orphan.owner(),
                        DatabaseOutage.rootCause(e));
                try {
                    orphan.keep();
                } catch (IOException ignored) {
                    // tried again at the next heartbeat
                }
            }
        }
    }

    private int outcomesWaiting() {
        Parts p = parts;
        return p == null ? 0 : p.recorder().waiting();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
