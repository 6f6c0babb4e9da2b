package io.carteiro.campaigns;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * One step of a running campaign, on whichever instance the ticker runs: pause it after a streak of permanent
 * failures, release the next slice of held messages as its throttle allows, and mark it finished when nothing is
 * left to send. The engine only ever sees due rows; it never needs to know what a campaign is.
 */
@ApplicationScoped
class CampaignPacer {

    private static final Logger LOG = Logger.getLogger(CampaignPacer.class);

    @Inject
    CampaignRepository campaigns;

    @Inject
    CampaignsConfig config;

    @Inject
    Clock clock;

    /** What one step did. */
    enum Step {
        NOT_RUNNING, AUTO_PAUSED, RELEASED, FINISHED
    }

    @Transactional
    Step advance(long campaignId) {
        Optional<Campaign> found = campaigns.lockById(campaignId);
        if (found.isEmpty() || found.get().status != CampaignStatus.running) {
            return Step.NOT_RUNNING;
        }
        Campaign c = found.get();
        Instant now = clock.instant();
        if (campaigns.failedInARow(campaignId, config.failureStreak())) {
            campaigns.hold(campaignId);
            c.pausedByItself("paused by itself after " + config.failureStreak()
                    + " permanent delivery failures in a row; check the delivery log, then resume", now);
            LOG.warnf("campaign %d paused: %d permanent failures in a row", campaignId, config.failureStreak());
            return Step.AUTO_PAUSED;
        }
        if (c.throttled()) {
            ReleasePlan plan = ReleasePlan.plan(ReleasePlan.Throttle.of(c), c.startedAt,
                    new ReleasePlan.Bucket(c.releaseCredit, c.lastReleaseAt, c.releasedDay, c.releasedOnDay), now);
            ReleasePlan done = plan.actual(campaigns.release(campaignId, plan.count(), now));
            c.releaseCredit = done.credit();
            c.lastReleaseAt = now;
            c.releasedDay = done.day();
            c.releasedOnDay = done.releasedOnDay();
        } else {
            campaigns.release(campaignId, Long.MAX_VALUE, now);
        }
        if (!c.queueing() && !campaigns.hasUnfinished(campaignId)) {
            c.status = CampaignStatus.finished;
            c.finishedAt = now;
            c.updatedAt = now;
            LOG.infof("campaign %d finished", campaignId);
            return Step.FINISHED;
        }
        return Step.RELEASED;
    }
}
