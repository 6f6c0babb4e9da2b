package io.carteiro.engagement;

import io.carteiro.campaigns.CampaignSends;
import io.carteiro.lists.ListService;
import io.carteiro.lists.MailingList;
import io.carteiro.lists.Tracking;
import io.carteiro.subscribers.ConsentChanges;
import io.carteiro.subscribers.ConsentEvidence;
import io.carteiro.subscribers.ConsentSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The sunset rule of each list that has it on (and tracks per subscriber, the only mode in which anyone's
 * engagement is known): first forgets the notices of subscribers who engaged as people since, then unsubscribes
 * (consent event {@code inactive}) those whose grace period ran out unanswered, then sends the re-engagement campaign
 * to those newly without human engagement for the list's months. Machine clicks and opens never reach
 * {@code subscription_engagement}, so they never keep anyone subscribed. Subscribers who refused tracking are left
 * alone: their silence says nothing.
 *
 * <p>Run by the clustered Quartz scheduler (one instance per firing), and idempotent all the same: each batch is one
 * transaction that writes its notices together with the queued mail, the notice key keeps a subscriber from being
 * noticed twice and the queue's (campaign, subscriber) key from being mailed twice, and an unsubscribe changes only
 * running subscriptions.
 */
@ApplicationScoped
public class SunsetRule {

    private static final Logger LOG = Logger.getLogger(SunsetRule.class);
    static final int BATCH = 1000;

    /** What one run did. */
    public record Run(int answered, int noticed, int mailed, int unsubscribed) {
    }

    @Inject
    EntityManager em;

    @Inject
    ListService lists;

    @Inject
    CampaignSends sends;

    @Inject
    ConsentChanges consent;

    @Inject
    Clock clock;

    @Scheduled(identity = "engagement-sunset", every = "${carteiro.engagement.sunset.every:1h}",
            delayed = "${carteiro.engagement.sunset.delay:10m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "the sunset rule failed; its next run starts again where this one stopped");
        }
    }

    /** Applies every list's rule as of now. */
    public Run run() {
        Instant now = clock.instant();
        List<MailingList> on = QuarkusTransaction.requiringNew().call(lists::withSunset);
        int answered = 0;
        int noticed = 0;
        int mailed = 0;
        int unsubscribed = 0;
        for (MailingList list : on) {
            if (list.tracking != Tracking.SUBSCRIBER || list.sunsetCampaignId == null) {
                continue;
            }
            long id = list.id;
            answered += QuarkusTransaction.requiringNew().call(() -> forgetAnswered(id));
            Instant graceEnd = now.minus(Duration.ofDays(list.sunsetGraceDays));
            String detail = "no human click or open for " + list.sunsetMonths + " months, nor in the "
                    + list.sunsetGraceDays + " days after re-engagement campaign " + list.sunsetCampaignId;
            int n;
            do {
                n = QuarkusTransaction.requiringNew().call(() -> unsubscribeExpired(id, graceEnd, now, detail));
                unsubscribed += n;
            } while (n == BATCH);
            java.util.Optional<String> unsendable = QuarkusTransaction.requiringNew()
                    .call(() -> sends.problem(list.sunsetCampaignId));
            if (unsendable.isPresent()) {
                // Nobody is noticed (and so nobody unsubscribed later) without the message that lets them answer.
                LOG.warnf("sunset rule of list %d sends nothing: %s", id, unsendable.get());
                continue;
            }
            Instant quietSince = now.atOffset(ZoneOffset.UTC).minusMonths(list.sunsetMonths).toInstant();
            long campaign = list.sunsetCampaignId;
            int[] step;
            do {
                step = QuarkusTransaction.requiringNew().call(() -> noticeQuiet(id, campaign, quietSince, now));
                noticed += step[0];
                mailed += step[1];
            } while (step[0] == BATCH);
        }
        Run run = new Run(answered, noticed, mailed, unsubscribed);
        if (noticed + unsubscribed > 0) {
            LOG.infof("sunset rule: %d answered, %d sent the re-engagement campaign (%d queued), %d unsubscribed",
                    answered, noticed, mailed, unsubscribed);
        }
        return run;
    }

    /** Deletes the notices of subscribers who engaged as people since, or whose subscription ended otherwise. */
    private int forgetAnswered(long listId) {
        int answered = em.createNativeQuery("""
                        delete n from sunset_notice n
                        join subscription_engagement e on e.list_id = n.list_id and e.subscriber_id = n.subscriber_id
                        where n.list_id = :list and e.last_human_at is not null
                          and (n.last_human_at is null or e.last_human_at > n.last_human_at)""")
                .setParameter("list", listId).executeUpdate();
        em.createNativeQuery("""
                        delete n from sunset_notice n
                        where n.list_id = :list and not exists (select 1 from subscription s
                            where s.list_id = n.list_id and s.subscriber_id = n.subscriber_id
                              and s.status = 'confirmed')""")
                .setParameter("list", listId).executeUpdate();
        return answered;
    }

    /** Unsubscribes one batch of the subscribers whose grace period ended without an answer. */
    private int unsubscribeExpired(long listId, Instant graceEnd, Instant now, String detail) {
        @SuppressWarnings("unchecked")
        List<Number> rows = em.createNativeQuery("""
                        select subscriber_id from sunset_notice where list_id = :list and noticed_at <= :end
                        order by subscriber_id limit :n for update""")
                .setParameter("list", listId).setParameter("end", Timestamp.from(graceEnd))
                .setParameter("n", BATCH).getResultList();
        if (rows.isEmpty()) {
            return 0;
        }
        List<Long> ids = rows.stream().map(Number::longValue).toList();
        consent.unsubscribeInactive(listId, ids, now,
                new ConsentEvidence(ConsentSource.ADMIN, null, null, null, "sunset rule", detail, null));
        em.createNativeQuery("delete from sunset_notice where list_id = :list and subscriber_id in (:ids)")
                .setParameter("list", listId).setParameter("ids", ids).executeUpdate();
        return ids.size();
    }

    /**
     * Notices one batch of the confirmed, tracked subscribers without human engagement since {@code quietSince}
     * (counted from their first delivered message when they never engaged) and queues the re-engagement campaign to
     * them, in one transaction; returns {noticed, queued}.
     */
    private int[] noticeQuiet(long listId, long campaignId, Instant quietSince, Instant now) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select e.subscriber_id, e.last_human_at from subscription_engagement e
                        join subscription sub on sub.list_id = e.list_id and sub.subscriber_id = e.subscriber_id
                            and sub.status = 'confirmed'
                        join subscriber s on s.id = e.subscriber_id and s.status = 'active'
                            and s.tracking_refused = false
                        where e.list_id = :list and coalesce(e.last_human_at, e.first_delivered_at) < :since
                          and not exists (select 1 from sunset_notice n
                              where n.list_id = e.list_id and n.subscriber_id = e.subscriber_id)
                        order by e.subscriber_id limit :n""")
                .setParameter("list", listId).setParameter("since", Timestamp.from(quietSince))
                .setParameter("n", BATCH).getResultList();
        if (rows.isEmpty()) {
            return new int[]{0, 0};
        }
        List<Long> ids = new ArrayList<>();
        Timestamp at = Timestamp.from(now);
        for (Object[] r : rows) {
            long subscriber = ((Number) r[0]).longValue();
            ids.add(subscriber);
            em.createNativeQuery("""
                            insert ignore into sunset_notice (list_id, subscriber_id, campaign_id, noticed_at,
                                last_human_at) values (:list, :subscriber, :campaign, :at, :last)""")
                    .setParameter("list", listId).setParameter("subscriber", subscriber)
                    .setParameter("campaign", campaignId).setParameter("at", at).setParameter("last", r[1])
                    .executeUpdate();
        }
        int queued = sends.sendTo(campaignId, listId, ids, now);
        return new int[]{ids.size(), queued};
    }
}
