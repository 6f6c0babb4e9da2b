package io.carteiro.subscribers;

import io.carteiro.lists.ListDeleting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;

/** Appends to the consent log; the only writer of {@code consent_event}. */
@ApplicationScoped
class ConsentLog {

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    void append(long subscriberId, Long listId, String listName, ConsentEventKind kind, ConsentEvidence evidence,
                Long consentTextId) {
        ConsentEvent event = new ConsentEvent();
        event.subscriberId = subscriberId;
        event.listId = listId;
        event.listName = listName;
        event.event = kind;
        event.source = evidence.source();
        event.occurredAt = clock.instant();
        event.ip = evidence.ip();
        event.userAgent = evidence.userAgent();
        event.consentTextId = consentTextId;
        event.legalBasis = evidence.legalBasis();
        event.actor = evidence.actor();
        event.detail = evidence.detail();
        em.persist(event);
    }

    /** A "removed" event for each of the subscriber's subscriptions, in one statement. */
    void appendRemovals(long subscriberId, ConsentEvidence evidence) {
        em.flush();
        em.createNativeQuery("""
                        insert into consent_event (subscriber_id, list_id, list_name, event, source, occurred_at, ip,
                                                   user_agent, consent_text_id, actor, detail)
                        select s.subscriber_id, s.list_id, l.name, 'removed', :source, :now, :ip, :agent,
                               s.consent_text_id, :actor, :detail
                        from subscription s join mailing_list l on l.id = s.list_id
                        where s.subscriber_id = :subscriber""")
                .setParameter("source", evidence.source().value())
                .setParameter("now", Timestamp.from(clock.instant()))
                .setParameter("ip", evidence.ip())
                .setParameter("agent", evidence.userAgent())
                .setParameter("actor", evidence.actor())
                .setParameter("detail", evidence.detail())
                .setParameter("subscriber", subscriberId)
                .executeUpdate();
    }

    /** Before a list goes, every subscription on it gets a "removed" event naming the list, in one statement. */
    void onListDeleting(@Observes ListDeleting deleting) {
        em.flush();
        em.createNativeQuery("""
                        insert into consent_event (subscriber_id, list_id, list_name, event, source, occurred_at,
                                                   consent_text_id, actor, detail)
                        select s.subscriber_id, s.list_id, :name, 'removed', 'admin', :now, s.consent_text_id,
                               :actor, 'list deleted'
                        from subscription s where s.list_id = :list""")
                .setParameter("name", deleting.listName())
                .setParameter("now", Timestamp.from(clock.instant()))
                .setParameter("actor", deleting.actor())
                .setParameter("list", deleting.listId())
                .executeUpdate();
    }

    List<ConsentEvent> history(long subscriberId) {
        return em.createQuery("select e from ConsentEvent e where e.subscriberId = :id order by e.id",
                ConsentEvent.class).setParameter("id", subscriberId).getResultList();
    }

    /** Erasure (GDPR Art. 17) is the one case in which consent events are deleted. */
    void eraseHistory(long subscriberId) {
        em.createNativeQuery("delete from consent_event where subscriber_id = :id").setParameter("id", subscriberId)
                .executeUpdate();
    }
}
