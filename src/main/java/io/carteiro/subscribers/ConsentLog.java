package io.carteiro.subscribers;

import io.carteiro.lists.ListDeleting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

/**
 * Appends to the consent log: through the entity for this package's services, with native inserts for the changes
 * other features make through {@link ConsentChanges} (plain JDBC on the hot path of one-click unsubscribes). Apart
 * from the import's batch statements ({@link SubscriberBatches}) the only writer of {@code consent_event}.
 */
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

    /** One event at {@code at}, with the list's name copied (null when there is no list or it is gone). */
    void appendAt(long subscriberId, Long listId, ConsentEventKind kind, Instant at, ConsentEvidence ev,
                  Long consentTextId) {
        em.createNativeQuery("""
                        insert into consent_event (subscriber_id, list_id, list_name, event, source, occurred_at, ip,
                            user_agent, consent_text_id, legal_basis, actor, detail)
                        select :s, :l, (select name from mailing_list where id = :l), :event, :source, :at, :ip, :ua,
                            :ct, :basis, :actor, :detail""")
                .setParameter("s", subscriberId).setParameter("l", listId).setParameter("event", kind.value())
                .setParameter("source", ev.source().value()).setParameter("at", at).setParameter("ip", ev.ip())
                .setParameter("ua", ev.userAgent()).setParameter("ct", consentTextId)
                .setParameter("basis", ev.legalBasis()).setParameter("actor", ev.actor())
                .setParameter("detail", ev.detail())
                .executeUpdate();
    }

    /** The "unsubscribed" event of a one-click unsubscribe, on the caller's connection (its transaction's). */
    void appendUnsubscribed(Connection c, long subscriberId, long listId, LocalDateTime at, ConsentEvidence ev)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                insert into consent_event (subscriber_id, list_id, list_name, event, source, occurred_at, ip,
                    user_agent, detail)
                select ?, ?, (select name from mailing_list where id = ?), 'unsubscribed', ?, ?, ?, ?, ?""")) {
            insert.setLong(1, subscriberId);
            insert.setLong(2, listId);
            insert.setLong(3, listId);
            insert.setString(4, ev.source().value());
            insert.setObject(5, at);
            insert.setString(6, ev.ip());
            insert.setString(7, ev.userAgent());
            insert.setString(8, ev.detail());
            insert.executeUpdate();
        }
    }

    /**
     * An "unsubscribed" event for each running subscription of the subscriber (on one list, or all when {@code listId}
     * is null), in one statement; the caller has locked them and ends them right after.
     */
    void appendUnsubscribedFromAll(long subscriberId, Long listId, Instant at, ConsentEvidence ev, Long bounceId) {
        var insert = em.createNativeQuery("""
                        insert into consent_event (subscriber_id, list_id, list_name, event, source, occurred_at, ip,
                                                   user_agent, actor, detail, bounce_id)
                        select s.subscriber_id, s.list_id, l.name, 'unsubscribed', :source, :now, :ip, :ua, :actor,
                               :detail, :bounce
                        from subscription s left join mailing_list l on l.id = s.list_id
                        where s.subscriber_id = :id and s.status <> 'unsubscribed'"""
                        + (listId == null ? "" : " and s.list_id = :list"))
                .setParameter("source", ev.source().value()).setParameter("now", at).setParameter("ip", ev.ip())
                .setParameter("ua", ev.userAgent()).setParameter("actor", ev.actor())
                .setParameter("detail", ev.detail()).setParameter("bounce", bounceId).setParameter("id", subscriberId);
        if (listId != null) {
            insert.setParameter("list", listId);
        }
        insert.executeUpdate();
    }

    /** An "inactive" event for each of those subscribers' running subscriptions on the list, in one statement. */
    void appendInactive(long listId, List<Long> subscriberIds, Instant at, ConsentEvidence ev) {
        em.createNativeQuery("""
                        insert into consent_event (subscriber_id, list_id, list_name, event, source, occurred_at, ip,
                                                   user_agent, actor, detail)
                        select s.subscriber_id, s.list_id, l.name, 'inactive', :source, :now, :ip, :ua, :actor, :detail
                        from subscription s left join mailing_list l on l.id = s.list_id
                        where s.list_id = :list and s.subscriber_id in (:ids) and s.status <> 'unsubscribed'""")
                .setParameter("source", ev.source().value()).setParameter("now", at).setParameter("ip", ev.ip())
                .setParameter("ua", ev.userAgent()).setParameter("actor", ev.actor())
                .setParameter("detail", ev.detail()).setParameter("list", listId).setParameter("ids", subscriberIds)
                .executeUpdate();
    }

    /** A "status_changed" event naming the bounce behind it (if any). */
    void appendStatusChange(long subscriberId, Instant at, ConsentEvidence ev, Long bounceId) {
        em.createNativeQuery("""
                        insert into consent_event (subscriber_id, event, source, occurred_at, ip, user_agent, actor,
                                                   detail, bounce_id)
                        values (:id, 'status_changed', :source, :now, :ip, :ua, :actor, :detail, :bounce)""")
                .setParameter("id", subscriberId).setParameter("source", ev.source().value())
                .setParameter("now", at).setParameter("ip", ev.ip()).setParameter("ua", ev.userAgent())
                .setParameter("actor", ev.actor()).setParameter("detail", ev.detail())
                .setParameter("bounce", bounceId).executeUpdate();
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
