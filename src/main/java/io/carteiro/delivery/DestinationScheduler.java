package io.carteiro.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * The queue manager (Postfix's qmgr): claimed messages wait in one queue per destination, and each destination runs
 * as many independent delivery runs as its {@link ConcurrencyWindow} allows, within the process's session limit.
 * A run takes the next message of its destination when it is done with one, so nothing ever waits for the slowest
 * session of a batch; a destination whose queue is full is left out of the next claims.
 */
final class DestinationScheduler {

    /** One destination's ready messages. */
    static final class Destination {
        final String domain;
        final ArrayDeque<Claimed> ready = new ArrayDeque<>();
        ConcurrencyWindow window;
        /** Runs started that have not taken their first message yet. */
        int starting;

        Destination(String domain, ConcurrencyWindow window) {
            this.domain = domain;
            this.window = window;
        }
    }

    /** Settings the scheduler reads. */
    record Limits(int sessions, int destinationQueue, int initialConcurrency, IntSupplier concurrency) {
    }

    /** Windows (with what they learnt) are kept for idle destinations until there are this many. */
    static final int MAX_IDLE_WINDOWS = 10_000;

    private final Limits limits;
    private final ExecutorService workers;
    private final Function<Destination, Runnable> runOf;
    private final Runnable roomFreed;
    private final Map<String, Destination> destinations = new HashMap<>();
    private final Map<String, ConcurrencyWindow> windows = new HashMap<>();
    private final Map<String, String> windowKeys = new HashMap<>();
    private final Set<Destination> waitingForSession = new LinkedHashSet<>();
    private int sessions;
    private int held;
    private int runs;
    private boolean accepting = true;

    DestinationScheduler(Limits limits, ExecutorService workers, Function<Destination, Runnable> runOf,
                         Runnable roomFreed) {
        this.limits = limits;
        this.workers = workers;
        this.runOf = runOf;
        this.roomFreed = roomFreed;
    }

    /** Queues claimed messages by destination and starts the runs they allow. */
    synchronized void add(List<Claimed> messages) {
        Set<Destination> touched = new LinkedHashSet<>();
        for (Claimed c : messages) {
            String domain = c.row().recipientDomain();
            Destination d = destinations.computeIfAbsent(domain, k -> new Destination(k, window(k)));
            d.ready.add(c);
            touched.add(d);
        }
        held += messages.size();
        for (Destination d : touched) {
            startRuns(d);
        }
    }

    /** The next message of this destination for a run ({@code first}: its first), or null when it should end. */
    synchronized Claimed next(Destination d, boolean first) {
        if (first) {
            d.starting--;
        }
        return accepting ? d.ready.poll() : null;
    }

    /** A message taken with {@link #next} is settled (its result is with the recorder). */
    synchronized void settled() {
        held--;
        roomFreed.run();
    }

    /** A run of this destination ended ({@code tookFirst}: it asked for its first message). */
    synchronized void runEnded(Destination d, boolean tookFirst) {
        if (!tookFirst) {
            d.starting--;
        }
        d.window.closed();
        sessions--;
        runs--;
        if (accepting) {
            startRuns(d);
            List<Destination> waiting = new ArrayList<>(waitingForSession);
            waitingForSession.clear();
            for (Destination w : waiting) {
                startRuns(w);
            }
            if (d.ready.isEmpty() && d.window.active() == 0) {
                destinations.remove(d.domain, d);
                if (windows.size() > MAX_IDLE_WINDOWS) {
                    windows.values().removeIf(w -> w.active() == 0);
                }
            }
        }
        notifyAll();
    }

    /**
     * In {@code mx-hosts} mode: the domain's exchangers are known, so it shares the window of every domain with the
     * same ones from now on.
     */
    synchronized void shareWindow(Destination d, String mxHosts) {
        String before = windowKeys.put(d.domain, mxHosts);
        if (!mxHosts.equals(before)) {
            ConcurrencyWindow shared = windows.computeIfAbsent(mxHosts, k -> newWindow());
            int moving = d.window.active();
            for (int i = 0; i < moving; i++) {
                d.window.closed();
                shared.opened();
            }
            d.window = shared;
        }
    }

    /** Messages claimed and not settled (ready or in a run). */
    synchronized int held() {
        return held;
    }

    /** Domains whose queue is full: the next claims leave them out. */
    synchronized List<String> saturated() {
        List<String> full = new ArrayList<>();
        for (Destination d : destinations.values()) {
            if (d.ready.size() >= limits.destinationQueue()) {
                full.add(d.domain);
            }
        }
        return full;
    }

    /** Stops starting runs and hands back every message no run has taken yet. */
    synchronized List<Claimed> stop() {
        accepting = false;
        List<Claimed> left = new ArrayList<>();
        for (Destination d : destinations.values()) {
            left.addAll(d.ready);
            d.ready.clear();
        }
        held -= left.size();
        waitingForSession.clear();
        return left;
    }

    /** Waits until every run has ended, at most {@code millis}; returns whether they all did. */
    synchronized boolean awaitRuns(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (runs > 0) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private void startRuns(Destination d) {
        while (d.ready.size() > d.starting && d.window.hasRoom()) {
            if (sessions >= limits.sessions()) {
                waitingForSession.add(d);
                return;
            }
            d.window.opened();
            d.starting++;
            sessions++;
            runs++;
            workers.execute(runOf.apply(d));
        }
    }

    private ConcurrencyWindow window(String domain) {
        String key = windowKeys.getOrDefault(domain, domain);
        return windows.computeIfAbsent(key, k -> newWindow());
    }

    private ConcurrencyWindow newWindow() {
        return new ConcurrencyWindow(limits.initialConcurrency(), limits.concurrency());
    }
}
