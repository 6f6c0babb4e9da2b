package io.carteiro.bounces;

import io.carteiro.delivery.MailQueue;
import io.carteiro.subscribers.ConsentSource;
import io.carteiro.subscribers.SuppressionKind;
import io.carteiro.subscribers.SuppressionReason;
import io.carteiro.subscribers.Suppressions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changes the bounce rules make to subscribers, subscriptions and the suppression list, each with a consent
 * event naming the bounce that caused it. Set-based SQL on the foundation tables; runs in the caller's transaction.
 */
@ApplicationScoped
class ListCleaner {

    /** Consent-log source of changes made because of a bounce or complaint. */
    static final String SOURCE_BOUNCE = ConsentSource.BOUNCE.value();
    /** Consent-log source of unsubscribes sent by e-mail to the mailto address. */
    static final String SOURCE_MAILTO = ConsentSource.MAILTO.value();

    private final EntityManager em;
    private final MailQueue queue;
    private final Suppressions suppressions;

    ListCleaner(EntityManager em, MailQueue queue, Suppressions suppressions) {
        this.em = em;
        this.queue = queue;
        this.suppressions = suppressions;
    }

    /** Why a subscriber's status changes: the bounce that did it, and the words for the consent log. */
    record Cause(long bounceId, String why) {
    }

    /**
     * Marks the active ones of these subscribers bounced, set-based, each with a consent event naming the bounce
     * that caused it, and cancels what is queued for them; returns the subscribers whose status changed.
     */
    Set<Long> markBounced(Map<Long, Cause> causes, Instant now) {
        if (causes.isEmpty()) {
            return Set.of();
        }
        @SuppressWarnings("unchecked")
        List<Number> rows = em.createNativeQuery(
                        "select id from subscriber where id in (:ids) and status = 'active' order by id for update")
                .setParameter("ids", causes.keySet()).getResultList();
        Set<Long> changed = new LinkedHashSet<>();
        rows.forEach(r -> changed.add(r.longValue()));
        if (changed.isEmpty()) {
            return changed;
        }
        em.createNativeQuery("update subscriber set status = 'bounced', updated_at = :now where id in (:ids)")
                .setParameter("now", Timestamp.from(now)).setParameter("ids", changed).executeUpdate();
        StringBuilder sql = new StringBuilder(
                "insert into consent_event (subscriber_id, event, source, occurred_at, detail, bounce_id) values ");
        int i = 0;
        for (Long ignored : changed) {
            sql.append(i++ == 0 ? "" : ", ").append("(?, 'status_changed', ?, ?, ?, ?)");
        }
        var insert = em.createNativeQuery(sql.toString());
        int n = 0;
        for (Long id : changed) {
            Cause cause = causes.get(id);
            insert.setParameter(++n, id).setParameter(++n, SOURCE_BOUNCE).setParameter(++n, Timestamp.from(now))
                    .setParameter(++n, clip("status bounced: " + cause.why())).setParameter(++n, cause.bounceId());
        }
        insert.executeUpdate();
        for (Long id : changed) {
            queue.cancelQueued(id, null);
        }
        return changed;
    }

    /**
     * Unsubscribes the subscriber from every list, marks them complained and suppresses the address; true when
     * anything changed.
     */
    boolean complain(long subscriberId, long bounceId, String why, Instant now) {
        int lists = unsubscribe(subscriberId, null, SOURCE_BOUNCE, "complaint", bounceId, why, now);
        boolean changed = changeStatus(subscriberId, "complained", "status <> 'complained'", bounceId, why, now);
        @SuppressWarnings("unchecked")
        List<String> keys = em.createNativeQuery("select email_key from subscriber where id = :id")
                .setParameter("id", subscriberId).getResultList();
        boolean suppressed = false;
        for (String key : keys) {
            suppressed |= suppressions.insert(suppressions.validate(SuppressionKind.ADDRESS, key,
                    SuppressionReason.COMPLAINT, "complaint, bounce #" + bounceId));
        }
        return lists > 0 || changed || suppressed;
    }

    /**
     * Unsubscribes from one list (or all when {@code listId} is null) with a consent event per subscription;
     * returns how many subscriptions changed.
     */
    int unsubscribe(long subscriberId, Long listId, String source, String method, Long bounceId, String why,
                    Instant now) {
        var select = em.createNativeQuery("select s.list_id, l.name from subscription s "
                        + "left join mailing_list l on l.id = s.list_id where s.subscriber_id = :id "
                        + "and s.status <> 'unsubscribed'" + (listId == null ? "" : " and s.list_id = :list")
                        + " for update")
                .setParameter("id", subscriberId);
        if (listId != null) {
            select.setParameter("list", listId);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> subscriptions = select.getResultList();
        for (Object[] row : subscriptions) {
            long list = ((Number) row[0]).longValue();
            em.createNativeQuery("""
                            insert into consent_event (subscriber_id, list_id, list_name, event, source, occurred_at,
                                                       detail, bounce_id)
                            values (:id, :list, :name, 'unsubscribed', :source, :now, :detail, :bounce)""")
                    .setParameter("id", subscriberId).setParameter("list", list).setParameter("name", row[1])
                    .setParameter("source", source).setParameter("now", Timestamp.from(now))
                    .setParameter("detail", clip(why)).setParameter("bounce", bounceId).executeUpdate();
            em.createNativeQuery("""
                            update subscription set status = 'unsubscribed', unsubscribed_at = :now,
                                   unsubscribe_method = :method, updated_at = :now
                            where subscriber_id = :id and list_id = :list""")
                    .setParameter("now", Timestamp.from(now)).setParameter("method", method)
                    .setParameter("id", subscriberId).setParameter("list", list).executeUpdate();
        }
        if (!subscriptions.isEmpty()) {
            queue.cancelQueued(subscriberId, listId);
        }
        return subscriptions.size();
    }

    private boolean changeStatus(long subscriberId, String status, String when, long bounceId, String why,
                                 Instant now) {
        int changed = em.createNativeQuery("update subscriber set status = :status, updated_at = :now where id = :id and "
                        + when)
                .setParameter("status", status).setParameter("now", Timestamp.from(now))
                .setParameter("id", subscriberId).executeUpdate();
        if (changed == 0) {
            return false;
        }
        em.createNativeQuery("""
                        insert into consent_event (subscriber_id, event, source, occurred_at, detail, bounce_id)
                        values (:id, 'status_changed', :source, :now, :detail, :bounce)""")
                .setParameter("id", subscriberId).setParameter("source", SOURCE_BOUNCE)
                .setParameter("now", Timestamp.from(now)).setParameter("detail", clip("status " + status + ": " + why))
                .setParameter("bounce", bounceId).executeUpdate();
        queue.cancelQueued(subscriberId, null);
        return true;
    }

    private static String clip(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
