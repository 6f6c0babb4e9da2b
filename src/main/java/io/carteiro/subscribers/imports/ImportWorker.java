package io.carteiro.subscribers.imports;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Background threads that claim queued imports (or ones whose worker's lease ran out, e.g. after a crash on another
 * replica) and run them. State lives in {@code import_job}; the threads only look for it.
 */
@ApplicationScoped
class ImportWorker {

    private static final Logger LOG = Logger.getLogger(ImportWorker.class);

    @Inject
    ImportConfig config;

    @Inject
    ImportJobs jobs;

    @Inject
    io.carteiro.subscribers.SubscriberBatches writer;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    private final Semaphore work = new Semaphore(0);
    private final String owner = ownerName();
    private volatile boolean running;
    private ExecutorService threads;

    void start(@Observes StartupEvent event) {
        if (config.workers() <= 0) {
            return;
        }
        running = true;
        threads = Executors.newFixedThreadPool(config.workers(), r -> {
            Thread t = new Thread(r, "carteiro-import");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < config.workers(); i++) {
            threads.submit(this::loop);
        }
    }

    /**
     * Stops at the next batch: the batches being written commit, the job's lease is released and the job resumes
     * from its checkpoint at the next start (here or on another replica), all while the database is still up. Only
     * a worker that has not stopped after a while is interrupted.
     */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (threads != null) {
            work.release(config.workers());
            threads.shutdown();
            if (!threads.awaitTermination(20, TimeUnit.SECONDS)) {
                threads.shutdownNow();
                threads.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Tells an idle worker there is a new job, so it need not wait for its next look. */
    void wakeUp() {
        work.release();
    }

    private void loop() {
        while (running) {
            try {
                if (!runOne()) {
                    work.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    work.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | java.sql.SQLException e) {
                if (!running) {
                    return;
                }
                LOG.warnf(e, "Import worker %s failed; it will look again", owner);
                try {
                    work.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Claims and runs one job; false when there was none. */
    boolean runOne() throws java.sql.SQLException {
        Instant now = clock.instant();
        Optional<ImportJob> claimed = QuarkusTransaction.requiringNew()
                .call(() -> jobs.claimNext(owner, now, now.plus(config.lease())));
        if (claimed.isEmpty()) {
            return false;
        }
        ImportJob job = claimed.get();
        LOG.infof("Import #%d (%s, %d bytes) started by %s", job.id(), job.mode().dbValue(), job.bytesTotal(),
                owner);
        long started = System.nanoTime();
        ImportRun.End end = new ImportRun(job, owner, config, jobs, writer, dataSource, clock, () -> running).run();
        if (end == ImportRun.End.FINISHED) {
            LOG.infof("Import #%d finished in %d ms", job.id(), (System.nanoTime() - started) / 1_000_000);
        } else if (end == ImportRun.End.TAKEN_OVER) {
            LOG.warnf("Import #%d was taken over by another worker", job.id());
        }
        return true;
    }

    private static String ownerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        String name = host + ":" + UUID.randomUUID().toString().substring(0, 8);
        return name.length() > 100 ? name.substring(name.length() - 100) : name;
    }
}
