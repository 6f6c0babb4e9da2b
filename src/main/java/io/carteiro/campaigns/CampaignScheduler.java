package io.carteiro.campaigns;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

import java.time.Instant;
import java.util.Date;
import java.util.Set;

/**
 * One durable Quartz job per scheduled campaign on the clustered JDBC store: it survives restarts, fires on one
 * instance only, and a start missed while Carteiro was down fires as soon as it is back (misfire: fire now).
 * Scheduling joins the caller's transaction (jdbc-cmt), so a refused change leaves no job behind.
 */
@ApplicationScoped
class CampaignScheduler {

    static final String GROUP = "campaigns";

    @Inject
    Scheduler quartz;

    void schedule(long campaignId, Instant at) {
        JobDetail job = JobBuilder.newJob(CampaignStartJob.class)
                .withIdentity(key(campaignId))
                .usingJobData(CampaignStartJob.CAMPAIGN_ID, Long.toString(campaignId)) // strings only: useProperties
                .storeDurably()
                .requestRecovery()
                .build();
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity("campaign-" + campaignId, GROUP)
                .forJob(job)
                .startAt(Date.from(at))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
        try {
            quartz.scheduleJob(job, Set.of(trigger), true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not schedule campaign " + campaignId, e);
        }
    }

    void unschedule(long campaignId) {
        try {
            quartz.deleteJob(key(campaignId));
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not unschedule campaign " + campaignId, e);
        }
    }

    private static JobKey key(long campaignId) {
        return JobKey.jobKey("campaign-" + campaignId, GROUP);
    }
}
