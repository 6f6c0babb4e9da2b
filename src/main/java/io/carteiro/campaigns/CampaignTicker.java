package io.carteiro.campaigns;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Advances every running campaign at a steady beat (a clustered Quartz job, so one instance does it at a time):
 * finishes queueing that a crashed instance left half done, then paces the campaign.
 */
@ApplicationScoped
class CampaignTicker {

    private static final Logger LOG = Logger.getLogger(CampaignTicker.class);

    @Inject
    CampaignRepository campaigns;

    @Inject
    CampaignPacer pacer;

    @Inject
    CampaignStarter starter;

    @Scheduled(identity = "campaign-ticker", every = "${carteiro.campaigns.tick-every:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        for (long id : io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(campaigns::runningIds)) {
            try {
                starter.queueRest(id);
                pacer.advance(id);
            } catch (RuntimeException e) {
                LOG.errorf(e, "campaign %d could not be advanced", id);
            }
        }
    }
}
