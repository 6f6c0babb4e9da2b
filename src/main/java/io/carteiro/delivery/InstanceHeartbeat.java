package io.carteiro.delivery;

import io.carteiro.delivery.throttle.DestinationLimits;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * This instance's heartbeat, and what rides on it: the instance row's time (so others know it lives), renewal of
 * the claims it holds, the live instance count that shaping divides its limits by, the suspensions every instance
 * recorded, and the release of claims of instances silent for longer than the instance timeout. An instance that
 * itself could not reach the database within that time releases nobody's claims (the others were cut off as it was,
 * and their outcomes are on the way), and journals of dead instances in the data folder are replayed first.
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
    private final OutcomeRecorder recorder;
    private final JournalReplay replay;
    private final Runnable abandonClaims;
    private final Clock clock;
    private volatile int live = 1;
    private boolean registered;
    private long ticks;

    InstanceHeartbeat(String owner, DeliveryConfig config, InstanceRepository instances, OutboundRepository queue,
                      DestinationLimits limits, DatabaseOutage outage, OutcomeRecorder recorder, JournalReplay replay,
                      Runnable abandonClaims, Clock clock) {
        this.owner = owner;
        this.config = config;
        this.instances = instances;
        this.queue = queue;
        this.limits = limits;
        this.outage = outage;
        this.recorder = recorder;
        this.replay = replay;
        this.abandonClaims = abandonClaims;
        this.clock = clock;
    }

    /** Live instances sharing the database (at least this one). */
    int live() {
        return live;
    }

    /** Registers the instance row (at start, before any claim). */
    void register(String host) {
        instances.register(owner, host, ProcessHandle.current().pid());
        registered = true;
    }

    @Override
    public void run() {
        try {
            if (!instances.beat(owner)) {
                if (registered) {
                    LOG.warnf("instance %s was taken for dead (no heartbeat for %s); its claims were released, so"
                            + " the messages it had not started are dropped here", owner, config.instanceTimeout());
                    abandonClaims.run();
                }
                instances.register(owner, "", ProcessHandle.current().pid());
                registered = true;
            }
            Instant now = clock.instant();
            queue.renew(owner, now, config.lease());
            live = instances.live(config.instanceTimeout());
            limits.refresh(instances.active(now));
            if (!outage.failedWithin(config.instanceTimeout())) {
                replay.replayOrphans();
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
            outage.failed("heartbeat", e, recorder.waiting());
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
