package io.carteiro.campaigns;

import io.carteiro.delivery.DeliveryConfig;
import io.carteiro.subscribers.EmailAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a scheduled campaign into queued messages, one per eligible subscriber, in one statement and one
 * transaction with the status change: a start either happened completely or not at all, and a second start finds
 * the campaign running and adds nothing.
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

    /** What a start came to. */
    enum StartOutcome {
        STARTED, NOT_SCHEDULED, NOT_FOUND
    }

    /** A start: its outcome and how many messages it queued. */
    record Start(StartOutcome outcome, int queued) {
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
        EmailAddress from = EmailAddress.of(c.fromEmail);
        int queued = campaigns.queueRecipients(c, from.localPart() + "@" + from.domainKey(),
                c.throttled() ? null : now, now.plus(delivery.giveUpAfter()), now);
        c.status = CampaignStatus.running;
        c.startedAt = now;
        c.startedLate = c.sendAt != null && now.isAfter(c.sendAt.plus(config.lateAfter()));
        c.updatedAt = now;
        LOG.infof("campaign %d started%s: %d messages queued", campaignId, c.startedLate ? " late" : "", queued);
        return new Start(StartOutcome.STARTED, queued);
    }
}
