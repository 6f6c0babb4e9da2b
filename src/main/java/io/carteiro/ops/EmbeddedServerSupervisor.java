package io.carteiro.ops;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the embedded MariaDB running: when the server dies (killed, crashed, out of memory) it is started again on
 * the same data and port after a growing delay, and if it cannot come back after the configured attempts the
 * supervisor reports {@link State#FAILED}, which turns liveness DOWN so that an orchestrator restarts Carteiro.
 * It keeps trying at the longest delay after that, so a passing cause (a full disk freed) heals by itself.
 */
public final class EmbeddedServerSupervisor {

    private static final Logger LOG = Logger.getLogger(EmbeddedServerSupervisor.class);

    /** What the supervisor knows of the server. */
    public enum State { RUNNING, RESTARTING, FAILED, STOPPED }

    /** A snapshot for health checks: the state, how many times the server was restarted, and since when. */
    public record Status(State state, int restarts, int failedAttempts, Instant since, String lastProblem) {
    }

    /**
     * How restarts are paced: the first after {@code firstDelay}, each later one after twice the previous delay up
     * to {@code maxDelay}; {@code attempts} failed starts in a row (or deaths within {@code stableAfter} of a
     * start) make the state FAILED. A start waits as long as the server makes progress; {@code startSilence} is how
     * long it may go without a word in its log before it is given up (see {@link EmbeddedServer#start}).
     */
    public record Policy(Duration firstDelay, Duration maxDelay, int attempts, Duration startSilence,
                         Duration stableAfter) {

        /** The policy from {@code carteiro.embedded-db.restart-*} settings (see the README's table). */
        public static Policy configured() {
            return new Policy(
                    StartupSettings.duration("carteiro.embedded-db.restart-delay", Duration.ofSeconds(1)),
                    StartupSettings.duration("carteiro.embedded-db.restart-max-delay", Duration.ofSeconds(30)),
                    StartupSettings.integer("carteiro.embedded-db.restart-attempts", 5),
                    StartupSettings.duration("carteiro.embedded-db.start-silence", Duration.ofMinutes(2)),
                    Duration.ofMinutes(1));
        }
    }

    private final EmbeddedServer server;
    private final Policy policy;
    private final Clock clock;
    private final ScheduledExecutorService restarts;
    private volatile Status status;
    private Instant startedAt;
    private Duration nextDelay;
    private boolean stopping;

    public EmbeddedServerSupervisor(EmbeddedServer server, Policy policy, Clock clock) {
        this.server = server;
        this.policy = policy;
        this.clock = clock;
        this.nextDelay = policy.firstDelay();
        this.restarts = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "embedded-mariadb-supervisor");
            t.setDaemon(true);
            return t;
        });
        this.status = new Status(State.STOPPED, 0, 0, clock.instant(), null);
    }

    /** Starts the server (failing if the first start fails: nothing runs without it) and watches it from then on. */
    public synchronized void start() throws IOException {
        watch(server.start(policy.startSilence()));
        status = new Status(State.RUNNING, 0, 0, clock.instant(), null);
    }

    public Status status() {
        return status;
    }

    public EmbeddedServer server() {
        return server;
    }

    /** Stops watching and stops the server cleanly; a death from now on is expected. */
    public void stop(Duration timeout) {
        synchronized (this) {
            stopping = true;
            status = new Status(State.STOPPED, status.restarts(), 0, clock.instant(), status.lastProblem());
        }
        restarts.shutdownNow();
        server.stop(timeout);
    }

    private synchronized void watch(Process process) {
        startedAt = clock.instant();
        process.onExit().thenAccept(this::exited);
    }

    private synchronized void exited(Process process) {
        if (stopping) {
            return;
        }
        boolean soon = Duration.between(startedAt, clock.instant()).compareTo(policy.stableAfter()) < 0;
        // a server that dies soon after it was started again has not recovered: such deaths count as failed attempts
        int failed = soon ? status.failedAttempts() + 1 : 0;
        if (!soon) {
            nextDelay = policy.firstDelay();
        }
        String problem = "exited with status " + process.exitValue() + describeSignal(process.exitValue());
        LOG.errorf("The embedded MariaDB (pid %d) %s; starting it again in %s on the same data (%s). Its log: %s",
                process.pid(), problem, pretty(nextDelay), server.dataDir(), server.logFile());
        status = new Status(failed >= policy.attempts() ? State.FAILED : State.RESTARTING, status.restarts(), failed,
                clock.instant(), problem);
        schedule();
    }

    private void schedule() {
        Duration delay = nextDelay;
        nextDelay = min(nextDelay.multipliedBy(2), policy.maxDelay());
        try {
            restarts.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // stop() ran meanwhile
        }
    }

    private void restart() {
        Process process;
        try {
            process = server.start(policy.startSilence());
        } catch (IOException e) {
            synchronized (this) {
                if (stopping) {
                    return;
                }
                int failed = status.failedAttempts() + 1;
                State state = failed >= policy.attempts() ? State.FAILED : State.RESTARTING;
                if (state == State.FAILED && status.state() != State.FAILED) {
                    LOG.errorf("The embedded MariaDB could not be started again after %d attempts; liveness now"
                            + " reports DOWN. Still trying every %s. Cause: %s", failed, pretty(policy.maxDelay()),
                            e.getMessage());
                } else {
                    LOG.warnf("The embedded MariaDB could not be started again (attempt %d of %d); next try in %s."
                            + " Cause: %s", failed, policy.attempts(), pretty(nextDelay), firstLine(e.getMessage()));
                }
                status = new Status(state, status.restarts(), failed, clock.instant(), firstLine(e.getMessage()));
                schedule();
            }
            return;
        }
        synchronized (this) {
            if (stopping) {
                server.stop(Duration.ofSeconds(30));
                return;
            }
            status = new Status(State.RUNNING, status.restarts() + 1, status.failedAttempts(), clock.instant(),
                    status.lastProblem());
            LOG.infof("The embedded MariaDB is running again (pid %d, restart %d)", process.pid(),
                    status.restarts());
            watch(process);
        }
    }

    private static String describeSignal(int exitValue) {
        return exitValue > 128 && exitValue < 160 ? " (killed by signal " + (exitValue - 128) + ")" : "";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String pretty(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
