package io.carteiro.delivery;

import io.carteiro.subscribers.SubscriberErasing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

/**
 * Erasure of a subscriber (GDPR Art. 17) reaches the queue: their messages not yet sent are cancelled, the bodies of
 * their transactional messages are deleted, and the address in every row and attempt is replaced by a placeholder.
 * Counts per campaign stay right because the rows themselves stay. Runs in the erasing transaction (MariaDB
 * applies the assignments left to right, so {@code next_attempt_at} is decided on the old state).
 */
@ApplicationScoped
class ErasedRecipients {

    static final String PLACEHOLDER_DOMAIN = "erased.invalid";

    private final EntityManager em;

    ErasedRecipients(EntityManager em) {
        this.em = em;
    }

    void onErasure(@Observes SubscriberErasing erasing) {
        long id = erasing.subscriberId();
        em.createNativeQuery("""
                        delete c from outbound_content c join outbound_message m on m.id = c.outbound_message_id
                        where m.subscriber_id = :id""")
                .setParameter("id", id).executeUpdate();
        em.createNativeQuery("""
                        update outbound_message
                        set recipient = concat('erased-', id, '@', :domain), recipient_domain = :domain,
                            next_attempt_at = if(state in ('queued', 'deferred'), null, next_attempt_at),
                            state = if(state in ('queued', 'deferred'), 'cancelled', state),
                            last_reply = null
                        where subscriber_id = :id""")
                .setParameter("id", id).setParameter("domain", PLACEHOLDER_DOMAIN).executeUpdate();
        em.createNativeQuery("""
                        update delivery_attempt a join outbound_message m on m.id = a.outbound_message_id
                        set a.reply = null where m.subscriber_id = :id""")
                .setParameter("id", id).executeUpdate();
    }
}
