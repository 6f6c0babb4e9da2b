package io.carteiro.subscribers;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What other features read about one subscriber — the public pages ask who a signed link names, which lists they are
 * on, and everything held about them for a data download — in the caller's transaction.
 */
@ApplicationScoped
public class SubscriberLookup {

    /** A subscriber as other features see them. */
    public record Summary(long id, String email, String name, SubscriberStatus status) {
    }

    @Inject
    EntityManager em;

    public Optional<Summary> byId(long id) {
        return where("id = :v", id);
    }

    /** The subscriber with this lower-case address key ({@link EmailAddress#key()}). */
    public Optional<Summary> byKey(String emailKey) {
        return where("email_key = :v", emailKey);
    }

    private Optional<Summary> where(String condition, Object value) {
        List<?> rows = em.createNativeQuery("select id, email, name, status from subscriber where " + condition)
                .setParameter("v", value).getResultList();
        return rows.stream().findFirst().map(r -> {
            Object[] c = (Object[]) r;
            return new Summary(((Number) c[0]).longValue(), (String) c[1], (String) c[2],
                    SubscriberStatus.parse((String) c[3]));
        });
    }

    public boolean subscriptionExists(long listId, long subscriberId) {
        return !em.createNativeQuery("select 1 from subscription where list_id = :l and subscriber_id = :s")
                .setParameter("l", listId).setParameter("s", subscriberId).getResultList().isEmpty();
    }

    /** The subscriber's subscriptions: list id to status, in list id order. */
    public Map<Long, SubscriptionStatus> subscriptions(long subscriberId) {
        Map<Long, SubscriptionStatus> statuses = new LinkedHashMap<>();
        for (Object r : em.createNativeQuery(
                        "select list_id, status from subscription where subscriber_id = :s order by list_id")
                .setParameter("s", subscriberId).getResultList()) {
            Object[] c = (Object[]) r;
            statuses.put(((Number) c[0]).longValue(), SubscriptionStatus.parse((String) c[1]));
        }
        return statuses;
    }

    /**
     * Everything stored about the subscriber, for the data download of the preference centre (GDPR Art. 15 and 20):
     * the subscriber row, each subscription with its evidence and the consent text agreed to, and the consent log.
     */
    public Map<String, Object> portableData(long subscriberId) {
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
}
