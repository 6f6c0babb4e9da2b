package io.carteiro.subscribers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carteiro.subscribers.Views.SubscriberPage;
import io.carteiro.subscribers.Views.SubscriberView;
import io.carteiro.subscribers.Views.SubscriptionView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds subscribers by address, name, status, list and attribute, one keyset page at a time: {@code id > after
 * order by id limit n}, never OFFSET, so any page is as cheap as the first.
 */
@ApplicationScoped
@Transactional
public class SubscriberSearch {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    SubscribersConfig config;

    public SubscriberPage search(SubscriberQuery query) {
        int limit = query.limit() <= 0 ? config.pageSize() : Math.min(query.limit(), config.maxPageSize());
        StringBuilder sql = new StringBuilder(
                "select s.id, s.email, s.name, s.attributes, s.status, s.created_at from subscriber s");
        Map<String, Object> params = new HashMap<>();
        if (query.listId() != null) {
            sql.append(" join subscription l on l.subscriber_id = s.id and l.list_id = :list");
            params.put("list", query.listId());
        }
        sql.append(" where s.id > :after");
        params.put("after", query.after());
        if (notBlank(query.email())) {
            sql.append(" and s.email_key = :emailKey");
            params.put("emailKey", emailKey(query.email()));
        }
        if (notBlank(query.emailPrefix())) {
            sql.append(" and s.email_key like :emailPrefix escape '!'");
            params.put("emailPrefix", likePrefix(query.emailPrefix().strip().toLowerCase(Locale.ROOT)));
        }
        if (notBlank(query.namePrefix())) {
            sql.append(" and s.name like :namePrefix escape '!'");
            params.put("namePrefix", likePrefix(query.namePrefix().strip()));
        }
        if (query.status() != null) {
            sql.append(" and s.status = :status");
            params.put("status", query.status().value());
        }
        if (notBlank(query.attrKey())) {
            sql.append(" and json_unquote(json_extract(s.attributes, :attrPath)) = :attrValue");
            params.put("attrPath", "$.\"" + query.attrKey().replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
            params.put("attrValue", query.attrValue() == null ? "" : query.attrValue());
        }
        sql.append(" order by s.id limit :limit");
        params.put("limit", limit + 1);
        Query q = em.createNativeQuery(sql.toString());
        params.forEach(q::setParameter);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        boolean more = rows.size() > limit;
        List<Object[]> page = more ? rows.subList(0, limit) : rows;
        List<SubscriberView> items = views(page);
        Long next = more ? items.get(items.size() - 1).id() : null;
        return new SubscriberPage(items, next);
    }

    /** How many subscribers there are, in any status. */
    public long count() {
        return Subscriber.count();
    }

    public Optional<SubscriberView> byId(long id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select s.id, s.email, s.name, s.attributes, s.status, s.created_at from subscriber s where s.id = :id")
                .setParameter("id", id).getResultList();
        return views(rows).stream().findFirst();
    }

    private List<SubscriberView> views(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> ids = rows.stream().map(r -> ((Number) r[0]).longValue()).toList();
        Map<Long, List<SubscriptionView>> subscriptions = subscriptionsOf(ids);
        List<SubscriberView> views = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            long id = ((Number) r[0]).longValue();
            views.add(new SubscriberView(id, (String) r[1], (String) r[2], attributes(r[3]),
                    SubscriberStatus.parse((String) r[4]), Suppressions.toInstant(r[5]),
                    subscriptions.getOrDefault(id, List.of())));
        }
        return views;
    }

    private Map<Long, List<SubscriptionView>> subscriptionsOf(List<Long> subscriberIds) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select s.subscriber_id, s.list_id, l.name, s.status, s.source, s.subscribed_at,
                               s.confirmed_at, s.unsubscribed_at
                        from subscription s join mailing_list l on l.id = s.list_id
                        where s.subscriber_id in (:ids) order by s.subscriber_id, l.name, s.list_id""")
                .setParameter("ids", subscriberIds).getResultList();
        Map<Long, List<SubscriptionView>> bySubscriber = new HashMap<>();
        for (Object[] r : rows) {
            bySubscriber.computeIfAbsent(((Number) r[0]).longValue(), k -> new ArrayList<>())
                    .add(new SubscriptionView(((Number) r[1]).longValue(), (String) r[2],
                            SubscriptionStatus.parse((String) r[3]), ConsentSource.parse((String) r[4]),
                            Suppressions.toInstant(r[5]), Suppressions.toInstant(r[6]),
                            Suppressions.toInstant(r[7])));
        }
        return bySubscriber;
    }

    private Map<String, Object> attributes(Object column) {
        if (column == null) {
            return null;
        }
        try {
            return json.readValue(column.toString(), MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("subscriber attributes in the database are not JSON", e);
        }
    }

    private static String emailKey(String email) {
        EmailAddress.Parsed parsed = EmailAddress.parse(email);
        return parsed instanceof EmailAddress.Valid valid ? valid.address().key()
                : email.strip().toLowerCase(Locale.ROOT);
    }

    private static String likePrefix(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    private static boolean notBlank(String text) {
        return text != null && !text.isBlank();
    }
}
