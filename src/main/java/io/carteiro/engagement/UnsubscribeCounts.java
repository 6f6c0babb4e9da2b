package io.carteiro.engagement;

import io.carteiro.subscribers.Unsubscribed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Clock;

/**
 * Records, per campaign, the unsubscribes its messages caused, in the transaction that unsubscribes: one insert of
 * a row of its own (no shared counter row for a burst of one-click unsubscribes to queue on).
 */
@ApplicationScoped
class UnsubscribeCounts {

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    void onUnsubscribed(@Observes Unsubscribed unsubscribed) {
        if (unsubscribed.campaignId() == null) {
            return;
        }
        em.createNativeQuery("""
                        insert ignore into campaign_unsubscribe (campaign_id, list_id, subscriber_id, unsubscribed_at)
                        values (:campaign, :list, :subscriber, :now)""")
                .setParameter("campaign", unsubscribed.campaignId()).setParameter("list", unsubscribed.listId())
                .setParameter("subscriber", unsubscribed.subscriberId())
                .setParameter("now", Timestamp.from(clock.instant())).executeUpdate();
    }
}
