package io.carteiro.campaigns;

import io.carteiro.delivery.DeliveryConfig;
import io.carteiro.delivery.MessagesDue;
import io.carteiro.subscribers.EmailAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a scheduled campaign into queued messages, one per eligible subscriber. The start changes the status and
 * queues the first range of subscribers in one transaction; each further range is one more transaction
 * ({@link #queueMore}), so the engine sends the first messages while the rest is being queued. Every step locks the
 * campaign row and moves its range cursor, so steps on several instances (the start job, the ticker after a crash)
 * never queue a range twice, and a step after a pause queues held rows, a step after a cancel nothing.
 */
@ApplicationScoped
class CampaignStarter {

    private static final Logger LOG = Logger.getLogger(CampaignStarter.class);

    @Inject
    CampaignRepository campaigns;

    @Inject
    CampaignsConfig config;

    @Inject
    DeliveryConfig delivery;

    @Inject
    Clock clock;

    @Inject
    Event<MessagesDue> due;

    @Inject
    CampaignQueueFilling filling;

    /** What a start came to. */
    enum StartOutcome {
        STARTED, NOT_SCHEDULED, NOT_FOUND
    }

    /** A start: its outcome and how many messages its first range queued. */
    record Start(StartOutcome outcome, int queued) {
    }

    /**
     * Starts the campaign and queues all of its recipients, range by range. Meanwhile the engine sends at its
     * filling pace (see {@link CampaignQueueFilling}), so the queue is complete first.
     */
    Start startAndQueueAll(long campaignId) {
        filling.begin();
        try {
            Start start = start(campaignId);
            if (start.outcome() == StartOutcome.STARTED) {
                queueRemaining(campaignId);
            }
            return start;
        } finally {
            endFilling();
        }
    }

    /** Queues the ranges left by a start that did not get to the end (another instance's, or one cut by a crash). */
    void queueRest(long campaignId) {
        if (!queueMore(campaignId)) {
            return;
        }
        filling.begin();
        try {
            queueRemaining(campaignId);
        } finally {
            endFilling();
        }
    }

    private void queueRemaining(long campaignId) {
        while (queueMore(campaignId)) {
            // each call is one transaction and one range
        }
    }

    /** The sender loops that held back while the queue filled go back to work now, not at their next poll. */
    private void endFilling() {
        filling.end();
        due.fire(new MessagesDue());
    }

    @Transactional
    Start start(long campaignId) {
        Optional<Campaign> found = campaigns.lockById(campaignId);
        if (found.isEmpty()) {
            return new Start(StartOutcome.NOT_FOUND, 0);
        }
        Campaign c = found.get();
        if (c.status != CampaignStatus.scheduled) {
            LOG.infof("campaign %d not started: it is %s", campaignId, c.status);
            return new Start(StartOutcome.NOT_SCHEDULED, 0);
        }
        Instant now = clock.instant();
        c.status = CampaignStatus.running;
        c.startedAt = now;
        c.startedLate = c.sendAt != null && now.isAfter(c.sendAt.plus(config.lateAfter()));
        c.updatedAt = now;
        c.queuedThrough = 0L;
        c.queueEnd = campaigns.maxSubscriberId();
        int queued = queueNextRange(c, now);
        LOG.infof("campaign %d started%s: %d messages queued in its first range", campaignId,
                c.startedLate ? " late" : "", queued);
        return new Start(StartOutcome.STARTED, queued);
    }

    /** Queues the campaign's next range of subscribers; false when nothing is left to queue. */
    @Transactional
    boolean queueMore(long campaignId) {
        Optional<Campaign> found = campaigns.lockById(campaignId);
        if (found.isEmpty() || !found.get().queueing()) {
            return false;
        }
        Campaign c = found.get();
        if (c.status == CampaignStatus.cancelled || c.status == CampaignStatus.finished) {
            c.queuedThrough = null;
            c.queueEnd = null;
            return false;
        }
        queueNextRange(c, clock.instant());
        return c.queueing();
    }

    private int queueNextRange(Campaign c, Instant now) {
        long after = c.queuedThrough;
        long through = after >= c.queueEnd ? c.queueEnd
                : campaigns.nextRangeEnd(c.id, after, Math.max(1, config.queueChunk()), c.queueEnd);
        EmailAddress from = EmailAddress.of(c.fromEmail);
        boolean dueNow = c.status == CampaignStatus.running && !c.throttled();
        int queued = after >= through ? 0 : campaigns.queueRecipients(c, from.localPart() + "@" + from.domainKey(),
                after, through, dueNow ? now : null, now.plus(delivery.giveUpAfter()), now);
        if (dueNow && queued > 0) {
            due.fire(new MessagesDue());
        }
        if (through >= c.queueEnd) {
            c.queuedThrough = null;
            c.queueEnd = null;
        } else {
            c.queuedThrough = through;
        }
        return queued;
    }
}
