package io.carteiro.delivery;

import io.carteiro.delivery.throttle.DestinationLimits;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * This instance's heartbeat, and what rides on it: the instance row's time (so others know it lives), renewal of
 * the claims it holds, the live instance count that shaping divides its limits by, the suspensions every instance
 * recorded, the replay of dead instances' journals found in the data folder, and the release of claims of instances
 * silent for longer than the instance timeout. Only an instance whose own heartbeats have gone through steadily for
 * that long releases anybody's claims: after it was cut off itself (a database outage, a freeze, its own start) the
 * others may have been cut off as well, and they get the time to show they live.
 */
final class InstanceHeartbeat implements Runnable {

    private static final Logger LOG = Logger.getLogger(InstanceHeartbeat.class);

    /** Replays dead instances' journals (the engine's startup step, repeated until the database takes them). */
    interface JournalReplay {
        void replayOrphans();
    }

    private final String owner;
    private final DeliveryConfig config;
    private final InstanceRepository instances;
    private final OutboundRepository queue;
    private final DestinationLimits limits;
    private final DatabaseOutage outage;
    private final JournalReplay replay;
    /** Drops the claimed messages no run has started; returns how many. */
    private final IntSupplier abandonClaims;
    private final Clock clock;
    private volatile int live; // 0 until the first count
    private boolean registered;
    private long ticks;
    /** System.nanoTime of the last heartbeat that went through, and since when they have gone through steadily. */
    private long lastBeat;
    private long steadySince;

    InstanceHeartbeat(String owner, DeliveryConfig config, InstanceRepository instances, OutboundRepository queue,
                      DestinationLimits limits, DatabaseOutage outage, JournalReplay replay, IntSupplier abandonClaims,
                      Clock clock) {
        this.owner = owner;
        this.config = config;
        this.instances = instances;
        this.queue = queue;
        this.limits = limits;
        this.outage = outage;
        this.replay = replay;
        this.abandonClaims = abandonClaims;
        this.clock = clock;
    }

    /** Live instances sharing the database (at least this one). */
    int live() {
        return Math.max(1, live);
    }

    /**
     * Registers the instance row and reads the shared shaping state (at start, before any claim: a suspension
     * recorded before this start holds for its first message too).
     */
    void register(String host) {
        instances.register(owner, host, ProcessHandle.current().pid());
        registered = true;
        lastBeat = System.nanoTime();
        steadySince = lastBeat;
        shareWith(instances.live(config.instanceTimeout()));
        limits.refresh(instances.active(clock.instant()));
    }

    /** Takes the live instance count (and says when it changes: the shaping limits are divided by it). */
    private void shareWith(int count) {
        if (count != live) {
            LOG.infof("%d live delivery instance(s) share the shaping limits", count);
        }
        live = count;
    }

    @Override
    public void run() {
        try {
            if (!instances.beat(owner)) {
                if (registered) {
                    LOG.warnf("instance %s was taken for dead (no heartbeat for %s) and its claims released; the %d"
                            + " messages it had not started are left to whoever claims them now", owner,
                            config.instanceTimeout(), abandonClaims.getAsInt());
                }
                instances.register(owner, "", ProcessHandle.current().pid());
                registered = true;
            }
            long beat = System.nanoTime();
            if (beat - lastBeat > config.instanceTimeout().minus(config.heartbeatInterval()).toNanos()) {
                steadySince = beat; // this instance was cut off long enough to look dead to the others
            }
            lastBeat = beat;
            Instant now = clock.instant();
            queue.renew(owner, now, config.lease());
            shareWith(instances.live(config.instanceTimeout()));
            limits.refresh(instances.active(now));
            replay.replayOrphans();
            if (beat - steadySince >= config.instanceTimeout().toNanos()) {
                for (String silent : instances.silent(config.instanceTimeout(), owner)) {
                    int released = queue.release(silent, null, now);
                    instances.remove(silent);
                    LOG.infof("instance %s was silent for more than %s: released its %d claims", silent,
                            config.instanceTimeout(), released);
                }
            }
            if (++ticks % 1000 == 0) {
                instances.dropEndedSuspensions(now.minus(Duration.ofDays(1)));
            }
            outage.answered();
        } catch (RuntimeException e) {
            outage.failed("heartbeat", e);
        }
    }

    /** Removes the instance row (a clean stop). */
    void unregister() {
        try {
            instances.remove(owner);
        } catch (RuntimeException e) {
            LOG.warnf("could not remove the instance row of %s: %s", owner, DatabaseOutage.rootCause(e));
        }
    }
}
