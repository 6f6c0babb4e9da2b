package io.carteiro.engagement;

import io.carteiro.subscribers.SubscriberErasing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * On erasure, deletes everything engagement holds about the subscriber, in the erasing transaction: their hits
 * (pending and judged), their per-campaign recipient rows, their per-list engagement the record of which campaign they unsubscribed from and the sunset rule's notice. The
 * campaign counters stay: they are totals that name nobody.
 */
@ApplicationScoped
class ErasedSubscribers {

    @Inject
    EntityManager em;

    void onErasure(@Observes SubscriberErasing erasing) {
        long id = erasing.subscriberId();
        for (String sql : new String[]{
                "delete from engagement_pending where anonymous = false and recipient_key = :id",
                "delete from engagement_hit where subscriber_id = :id",
                "delete from engagement_recipient where subscriber_id = :id",
                "delete from subscription_engagement where subscriber_id = :id",
                "delete from campaign_unsubscribe where subscriber_id = :id",
                "delete from sunset_notice where subscriber_id = :id"}) {
            em.createNativeQuery(sql).setParameter("id", id).executeUpdate();
        }
    }

    /** A deleted list's sunset notices go with it (nobody is left to unsubscribe). */
    void onListDeleting(@Observes io.carteiro.lists.ListDeleting deleting) {
        em.createNativeQuery("delete from sunset_notice where list_id = :id").setParameter("id", deleting.listId())
                .executeUpdate();
    }
}
