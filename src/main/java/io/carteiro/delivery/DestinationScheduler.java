package io.carteiro.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * The queue manager (Postfix's qmgr): claimed messages wait in one queue per recipient domain, and each runs as many
 * independent delivery runs as its {@link ConcurrencyWindow} allows, within the process's session limit. A run
 * takes the next message of its domain when it is done with one, so nothing ever waits for the slowest session of a
 * batch; a domain whose queue is full is left out of the next claims. In {@code mx-hosts} mode the domains served
 * by the same MX hosts share one window: a run learns its domain's hosts from DNS and moves into their window
 * before it opens a session, or ends when that window is full.
 */
final class DestinationScheduler {

    /** One recipient domain's ready messages. */
    static final class Destination {
        final String domain;
        final ArrayDeque<Claimed> ready = new ArrayDeque<>();
        /** The window new runs count in: the domain's own, or its MX host set's once known. */
        ConcurrencyWindow window;
        /** Runs started that have not asked for their first message yet. */
        int starting;
        /** Runs of this domain that have not ended. */
        int running;

        Destination(String domain, ConcurrencyWindow window) {
            this.domain = domain;
            this.window = window;
        }
    }

    /** One delivery run's place: its destination and the window its session counts in (none once it gave it up). */
    static final class Slot {
        final Destination destination;
        ConcurrencyWindow window;
        boolean tookFirst;

        Slot(Destination destination, ConcurrencyWindow window) {
            this.destination = destination;
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
    private final Function<Slot, Runnable> runOf;
    private final Runnable roomFreed;
    private final Map<String, Destination> destinations = new HashMap<>();
    private final Map<String, ConcurrencyWindow> windows = new HashMap<>();
    /** mx-hosts mode: the window key (sorted MX host names) of each domain whose hosts are known. */
    private final Map<String, String> windowKeys = new HashMap<>();
    private final Map<ConcurrencyWindow, Set<Destination>> waitingForWindow = new IdentityHashMap<>();
    private final Set<Destination> waitingForSession = new LinkedHashSet<>();
    private int runs;
    private int held;
    /** The ids of the held messages: what this instance has in hand, which its claims in the database must match. */
    private final Set<Long> heldIds = new java.util.HashSet<>();
    private boolean accepting = true;

    DestinationScheduler(Limits limits, ExecutorService workers, Function<Slot, Runnable> runOf, Runnable roomFreed) {
        this.limits = limits;
        this.workers = workers;
        this.runOf = runOf;
        this.roomFreed = roomFreed;
    }

    /**
     * Queues claimed messages by destination and starts the runs they allow; returns them all when the scheduler
     * has stopped (their claims are to be given back).
     */
    synchronized List<Claimed> add(List<Claimed> messages) {
        if (!accepting) {
            return messages;
        }
        Set<Destination> touched = new LinkedHashSet<>();
        for (Claimed c : messages) {
            String domain = c.row().recipientDomain();
            Destination d = destinations.computeIfAbsent(domain, k -> new Destination(k, window(k)));
            d.ready.add(c);
            heldIds.add(c.row().id());
            touched.add(d);
        }
        held += messages.size();
        for (Destination d : touched) {
            startRuns(d);
        }
        return List.of();
    }

    /** The next message for this run, or null when it should end. */
    synchronized Claimed next(Slot slot) {
        if (!slot.tookFirst) {
            slot.tookFirst = true;
            slot.destination.starting--;
        }
        return accepting ? slot.destination.ready.poll() : null;
    }

    /** A message taken with {@link #next} is settled (its result is with the recorder). */
    synchronized void settled(long id) {
        held--;
        heldIds.remove(id);
        roomFreed.run();
    }

    /**
     * mx-hosts mode: the run's domain is served by {@code mxHosts}, so it counts in their window from now on (and
     * so do the domain's later runs). False when that window is full: the run ends without a message and the
     * domain's messages wait for a run of any domain with the same hosts to end.
     */
    synchronized boolean admit(Slot slot, String mxHosts) {
        Destination d = slot.destination;
        windowKeys.put(d.domain, mxHosts);
        ConcurrencyWindow shared = windows.computeIfAbsent(mxHosts, k -> newWindow());
        d.window = shared;
        if (slot.window == shared) {
            return true;
        }
        ConcurrencyWindow before = slot.window;
        before.closed();
        slot.window = null;
        wakeWaiting(before);
        if (!shared.hasRoom()) {
            return false;
        }
        shared.opened();
        slot.window = shared;
        return true;
    }

    /** A run ended. */
    synchronized void runEnded(Slot slot) {
        Destination d = slot.destination;
        if (!slot.tookFirst) {
            d.starting--;
        }
        if (slot.window != null) {
            slot.window.closed();
        }
        d.running--;
        runs--;
        if (accepting) {
            startRuns(d);
            if (slot.window != null) {
                wakeWaiting(slot.window);
            }
            List<Destination> waiting = new ArrayList<>(waitingForSession);
            waitingForSession.clear();
            for (Destination w : waiting) {
                startRuns(w);
            }
            if (d.ready.isEmpty() && d.running == 0) {
                destinations.remove(d.domain, d);
                forgetIdleWindows();
            }
        }
        notifyAll();
    }

    /** Messages claimed and not settled (ready or in a run). */
    synchronized int held() {
        return held;
    }

    /** The ids of the messages claimed and not settled. */
    synchronized Set<Long> heldIds() {
        return new java.util.HashSet<>(heldIds);
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

    /**
     * Drops every message no run has taken yet and keeps going: this instance was taken for dead and its claims
     * were released, so another instance may be sending them now.
     */
    synchronized int abandon() {
        return takeReady().size();
    }

    /** Stops starting runs and hands back every message no run has taken yet. */
    synchronized List<Claimed> stop() {
        accepting = false;
        return takeReady();
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

    private List<Claimed> takeReady() {
        List<Claimed> left = new ArrayList<>();
        for (Destination d : destinations.values()) {
            left.addAll(d.ready);
            d.ready.clear();
        }
        held -= left.size();
        left.forEach(c -> heldIds.remove(c.row().id()));
        waitingForSession.clear();
        waitingForWindow.clear();
        return left;
    }

    private void startRuns(Destination d) {
        while (d.ready.size() > d.starting) {
            if (!d.window.hasRoom()) {
                waitingForWindow.computeIfAbsent(d.window, w -> new LinkedHashSet<>()).add(d);
                return;
            }
            if (runs >= limits.sessions()) {
                waitingForSession.add(d);
                return;
            }
            d.window.opened();
            d.starting++;
            d.running++;
            runs++;
            workers.execute(runOf.apply(new Slot(d, d.window)));
        }
    }

    /** A session of this window ended: the destinations waiting for room in it may start runs. */
    private void wakeWaiting(ConcurrencyWindow window) {
        Set<Destination> waiting = waitingForWindow.remove(window);
        if (waiting != null) {
            for (Destination w : waiting) {
                startRuns(w);
            }
        }
    }

    private void forgetIdleWindows() {
        if (windows.size() > MAX_IDLE_WINDOWS) {
            windows.values().removeIf(w -> w.active() == 0);
        }
        if (windowKeys.size() > MAX_IDLE_WINDOWS) {
            windowKeys.clear(); // learnt again from DNS by each domain's next run
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
