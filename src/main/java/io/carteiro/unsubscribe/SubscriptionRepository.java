package io.carteiro.unsubscribe;

import io.carteiro.subscribers.EmailAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of the public pages, written directly against the foundation tables (mailing_list, consent_text,
 * subscriber, subscription, consent_event, suppression) so this feature stands on the schema alone.
 */
@ApplicationScoped
class SubscriptionRepository {

    /** A subscriber as the public pages see it. */
    record SubscriberRow(long id, String email, String name, String status) {
    }

    /** One row of the preference centre: a list and this subscriber's status on it (null when not on it). */
    record ListChoice(long listId, String listName, String description, String sender, String status) {
        public boolean active() {
            return "confirmed".equals(status) || "unconfirmed".equals(status);
        }
    }

    @Inject
    EntityManager em;

    @Inject
    DataSource dataSource;

    Optional<ListInfo> findList(long listId) {
        List<?> rows = em.createNativeQuery("""
                        select ml.id, ml.name, ml.description, ml.opt_in, ml.from_email, ml.from_name, ml.public_form,
                               ct.id, ct.body
                        from mailing_list ml
                        left join consent_text ct on ct.list_id = ml.id and ct.version = ml.consent_text_version
                        where ml.id = :id""")
                .setParameter("id", listId).getResultList();
        return rows.stream().findFirst().map(r -> {
            Object[] c = (Object[]) r;
            return new ListInfo(num(c[0]), (String) c[1], (String) c[2], "double".equals(c[3]), (String) c[4],
                    (String) c[5], bool(c[6]), c[7] == null ? null : num(c[7]), (String) c[8]);
        });
    }

    Optional<SubscriberRow> findSubscriber(long id) {
        return subscriberWhere("id = :v", id);
    }

    Optional<SubscriberRow> findSubscriberByKey(String emailKey) {
        return subscriberWhere("email_key = :v", emailKey);
    }

    private Optional<SubscriberRow> subscriberWhere(String condition, Object value) {
        List<?> rows = em.createNativeQuery("select id, email, name, status from subscriber where " + condition)
                .setParameter("v", value).getResultList();
        return rows.stream().findFirst().map(r -> {
            Object[] c = (Object[]) r;
            return new SubscriberRow(num(c[0]), (String) c[1], (String) c[2], (String) c[3]);
        });
    }

    /** The subscriber with this address, created (with this name) when absent; safe against a concurrent insert. */
    long findOrCreateSubscriber(EmailAddress address, String name, Instant now) {
        em.createNativeQuery("""
                        insert into subscriber (email, email_key, domain, name, created_at, updated_at)
                        values (:email, :emailKey, :domain, :name, :now, :now)
                        on duplicate key update id = last_insert_id(id)""")
                .setParameter("email", address.value()).setParameter("emailKey", address.key())
                .setParameter("domain", address.domainKey()).setParameter("name", name).setParameter("now", now)
                .executeUpdate();
        return num(em.createNativeQuery("select last_insert_id()").getSingleResult());
    }

    /** This subscription's status, locking the row for the rest of the transaction. */
    Optional<String> lockSubscriptionStatus(long listId, long subscriberId) {
        List<?> rows = em.createNativeQuery(
                        "select status from subscription where list_id = :l and subscriber_id = :s for update")
                .setParameter("l", listId).setParameter("s", subscriberId).getResultList();
        return rows.stream().findFirst().map(String.class::cast);
    }

    /** Writes a subscription started now with its evidence, replacing whatever the row held before. */
    void putSubscription(long listId, long subscriberId, String status, String source, Evidence ev,
                         Long consentTextId) {
        boolean confirmed = "confirmed".equals(status);
        em.createNativeQuery("""
                        insert into subscription (list_id, subscriber_id, status, source, subscribed_at, ip, user_agent,
                            consent_text_id, page, confirmed_at, confirm_ip, confirm_user_agent, updated_at)
                        values (:l, :s, :status, :source, :at, :ip, :ua, :ct, :page, :cat, :cip, :cua, :at)
                        on duplicate key update status = values(status), source = values(source),
                            subscribed_at = values(subscribed_at), ip = values(ip), user_agent = values(user_agent),
                            consent_text_id = values(consent_text_id), page = values(page),
                            confirmed_at = values(confirmed_at), confirm_ip = values(confirm_ip),
                            confirm_user_agent = values(confirm_user_agent), unsubscribed_at = null,
                            unsubscribe_method = null, updated_at = values(updated_at)""")
                .setParameter("l", listId).setParameter("s", subscriberId).setParameter("status", status)
                .setParameter("source", source).setParameter("at", ev.at()).setParameter("ip", ev.ip())
                .setParameter("ua", ev.userAgent()).setParameter("ct", consentTextId).setParameter("page", ev.page())
                .setParameter("cat", confirmed ? ev.at() : null).setParameter("cip", confirmed ? ev.ip() : null)
                .setParameter("cua", confirmed ? ev.userAgent() : null)
                .executeUpdate();
    }

    /** Confirms an unconfirmed subscription; 0 when it was not unconfirmed. */
    int confirm(long listId, long subscriberId, Evidence ev) {
        return em.createNativeQuery("""
                        update subscription set status = 'confirmed', confirmed_at = :at, confirm_ip = :ip,
                            confirm_user_agent = :ua, updated_at = :at
                        where list_id = :l and subscriber_id = :s and status = 'unconfirmed'""")
                .setParameter("at", ev.at()).setParameter("ip", ev.ip()).setParameter("ua", ev.userAgent())
                .setParameter("l", listId).setParameter("s", subscriberId).executeUpdate();
    }

    /**
     * Ends a subscription that is still running, and appends its consent event, in the caller's transaction; false
     * when there is none or it had already ended. Plain JDBC on the enlisted connection: this is the hot path of
     * RFC 8058 one-click unsubscribes (one UPDATE, one INSERT).
     */
    boolean unsubscribe(long listId, long subscriberId, String method, Evidence ev, String detail) {
        LocalDateTime at = LocalDateTime.ofInstant(ev.at(), ZoneOffset.UTC); // columns hold UTC
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("""
                     update subscription set status = 'unsubscribed', unsubscribed_at = ?, unsubscribe_method = ?,
                         updated_at = ?
                     where list_id = ? and subscriber_id = ? and status <> 'unsubscribed'""")) {
            update.setObject(1, at);
            update.setString(2, method);
            update.setObject(3, at);
            update.setLong(4, listId);
            update.setLong(5, subscriberId);
            if (update.executeUpdate() == 0) {
                return false;
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into consent_event (subscriber_id, list_id, list_name, event, source, occurred_at, ip,
                        user_agent, detail)
                    select ?, ?, (select name from mailing_list where id = ?), 'unsubscribed', 'form', ?, ?, ?, ?""")) {
                insert.setLong(1, subscriberId);
                insert.setLong(2, listId);
                insert.setLong(3, listId);
                insert.setObject(4, at);
                insert.setString(5, ev.ip());
                insert.setString(6, ev.userAgent());
                insert.setString(7, detail);
                insert.executeUpdate();
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("could not unsubscribe subscriber " + subscriberId + " from list " + listId, e);
        }
    }

    boolean subscriptionExists(long listId, long subscriberId) {
        return !em.createNativeQuery("select 1 from subscription where list_id = :l and subscriber_id = :s")
                .setParameter("l", listId).setParameter("s", subscriberId).getResultList().isEmpty();
    }

    /** Appends one consent event, copying the list's name so the trail still reads after the list is gone. */
    void appendEvent(long subscriberId, Long listId, String event, String source, Evidence ev, Long consentTextId,
                     String detail) {
        em.createNativeQuery("""
                        insert into consent_event (subscriber_id, list_id, list_name, event, source, occurred_at, ip,
                            user_agent, consent_text_id, detail)
                        select :s, :l, (select name from mailing_list where id = :l), :event, :source, :at, :ip, :ua,
                            :ct, :detail""")
                .setParameter("s", subscriberId).setParameter("l", listId).setParameter("event", event)
                .setParameter("source", source).setParameter("at", ev.at()).setParameter("ip", ev.ip())
                .setParameter("ua", ev.userAgent()).setParameter("ct", consentTextId).setParameter("detail", detail)
                .executeUpdate();
    }

    void updateName(long subscriberId, String name, Instant at) {
        em.createNativeQuery("update subscriber set name = :name, updated_at = :at where id = :id")
                .setParameter("name", name).setParameter("at", at).setParameter("id", subscriberId).executeUpdate();
    }

    /** The lists this subscriber is or was on, then every other public list, by name. */
    List<ListChoice> choices(long subscriberId) {
        List<?> rows = em.createNativeQuery("""
                        select ml.id, ml.name, ml.description, ml.from_name, ml.from_email, s.status
                        from mailing_list ml
                        left join subscription s on s.list_id = ml.id and s.subscriber_id = :s
                        where s.subscriber_id is not null or ml.public_form
                        order by ml.name, ml.id""")
                .setParameter("s", subscriberId).getResultList();
        List<ListChoice> choices = new ArrayList<>();
        for (Object r : rows) {
            Object[] c = (Object[]) r;
            ListInfo info = new ListInfo(num(c[0]), (String) c[1], (String) c[2], false, (String) c[4],
                    (String) c[3], false, null, null);
            choices.add(new ListChoice(info.id(), info.name(), info.description(), info.sender(), (String) c[5]));
        }
        return choices;
    }

    /** Counts one hit on {@code key} in the window that started after {@code windowStart}; returns the count. */
    int hit(String key, Instant now, Instant windowStart) {
        // MariaDB applies the assignments left to right: hits is computed from the old window_started.
        em.createNativeQuery("""
                        insert into public_form_throttle (throttle_key, hits, window_started) values (:k, 1, :now)
                        on duplicate key update
                            hits = if(window_started < :ws, 1, hits + 1),
                            window_started = if(window_started < :ws, :now, window_started)""")
                .setParameter("k", key).setParameter("now", now).setParameter("ws", windowStart).executeUpdate();
        return ((Number) em.createNativeQuery("select hits from public_form_throttle where throttle_key = :k")
                .setParameter("k", key).getSingleResult()).intValue();
    }

    /** Hits counted on {@code key} in the window that started after {@code windowStart}, without counting one. */
    int hits(String key, Instant windowStart) {
        List<?> rows = em.createNativeQuery(
                        "select hits from public_form_throttle where throttle_key = :k and window_started >= :ws")
                .setParameter("k", key).setParameter("ws", windowStart).getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).intValue();
    }

    /** Everything stored about the subscriber, for the data download. */
    Map<String, Object> export(long subscriberId) {
        Map<String, Object> data = new LinkedHashMap<>();
        Object[] s = (Object[]) em.createNativeQuery("""
                        select email, name, status, cast(attributes as char), created_at, updated_at
                        from subscriber where id = :id""").setParameter("id", subscriberId).getSingleResult();
        data.put("email", s[0]);
        data.put("name", s[1]);
        data.put("status", s[2]);
        data.put("attributes", s[3]);
        data.put("createdAt", String.valueOf(s[4]));
        data.put("updatedAt", String.valueOf(s[5]));
        data.put("subscriptions", rowsAsMaps("""
                        select s.list_id, ml.name, s.status, s.source, s.subscribed_at, s.ip, s.user_agent,
                            ct.body, s.page, s.confirmed_at, s.confirm_ip, s.unsubscribed_at, s.unsubscribe_method
                        from subscription s join mailing_list ml on ml.id = s.list_id
                        left join consent_text ct on ct.id = s.consent_text_id
                        where s.subscriber_id = :id order by s.list_id""", subscriberId,
                "listId", "list", "status", "source", "subscribedAt", "ip", "userAgent", "consentText", "page",
                "confirmedAt", "confirmIp", "unsubscribedAt", "unsubscribeMethod"));
        data.put("consentEvents", rowsAsMaps("""
                        select occurred_at, event, list_id, list_name, source, ip, user_agent, consent_text_id, detail
                        from consent_event where subscriber_id = :id order by id""", subscriberId,
                "at", "event", "listId", "list", "source", "ip", "userAgent", "consentTextId", "detail"));
        return data;
    }

    private List<Map<String, Object>> rowsAsMaps(String sql, long id, String... names) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object r : em.createNativeQuery(sql).setParameter("id", id).getResultList()) {
            Object[] c = (Object[]) r;
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                Object v = c[i];
                row.put(names[i], v instanceof Number || v == null ? v : String.valueOf(v));
            }
            out.add(row);
        }
        return out;
    }

    private static long num(Object o) {
        return ((Number) o).longValue();
    }

    private static boolean bool(Object o) {
        return o instanceof Boolean b ? b : ((Number) o).intValue() != 0;
    }
}
