package io.carteiro.campaigns;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** The Quartz job of one scheduled campaign: starts it (once, whichever instance fires) and queues its recipients. */
@Dependent
class CampaignStartJob implements Job {

    static final String CAMPAIGN_ID = "campaignId";

    @Inject
    CampaignStarter starter;

    @Override
    public void execute(JobExecutionContext context) {
        starter.startAndQueueAll(Long.parseLong(context.getMergedJobDataMap().getString(CAMPAIGN_ID)));
    }
}
