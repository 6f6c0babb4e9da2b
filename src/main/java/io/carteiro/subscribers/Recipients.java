package io.carteiro.subscribers;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may be mailed on a set of lists, for features that mail many subscribers at once (campaigns): confirmed on one
 * of the lists, active, and let through by the suppression gate. The selection is SQL for the caller's set-based
 * statement, so that queueing a campaign stays one {@code INSERT … SELECT} while the meaning of "mailable" stays here.
 */
@ApplicationScoped
public class Recipients {

    /** Attribute names a filter may compare (they are written into a JSON path). */
    public static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * The mailable subscribers as SQL, one row per subscriber: the expressions of its id, the (lowest) target list it
     * is on, its address and its domain, and the {@code FROM … WHERE … [GROUP BY …]} to follow a select list, with its
     * named parameters (all starting with {@code rcpt}).
     */
    public record Selection(String subscriberId, String listId, String email, String domain, String from,
                            Map<String, Object> parameters) {
    }

    @Inject
    EntityManager em;

    @Inject
    Suppressions suppressions;

    /**
     * The mailable subscribers of {@code listIds} with an id in (afterId, throughId] whose attributes equal every value
     * of {@code attributeFilter}; each subscriber once, for the lowest of the lists they are on. An attribute name
     * outside {@link #ATTRIBUTE_NAME} is refused with {@link IllegalArgumentException}.
     */
    public Selection mailable(List<Long> listIds, long afterId, long throughId, Map<String, String> attributeFilter) {
        if (listIds.isEmpty()) {
            throw new IllegalArgumentException("no lists to select recipients from");
        }
        boolean oneList = listIds.size() == 1;
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("rcptAfter", afterId);
        parameters.put("rcptThrough", throughId);
        StringBuilder from = new StringBuilder("""
                FROM subscription sub
                JOIN subscriber s ON s.id = sub.subscriber_id AND s.status = 'active'
                WHERE sub.status = 'confirmed' AND sub.subscriber_id > :rcptAfter AND sub.subscriber_id <= :rcptThrough
                """);
        if (oneList) {
            from.append("  AND sub.list_id = :rcptList\n");
            parameters.put("rcptList", listIds.get(0));
        } else {
            from.append("  AND sub.list_id IN (:rcptLists)\n");
            parameters.put("rcptLists", List.copyOf(listIds));
        }
        from.append("  AND ").append(suppressions.notSuppressedSql("s")).append('\n');
        int i = 0;
        for (Map.Entry<String, String> e : attributeFilter.entrySet()) {
            if (!ATTRIBUTE_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("attribute name '" + e.getKey() + "' is not allowed");
            }
            from.append("  AND JSON_UNQUOTE(JSON_EXTRACT(s.attributes, :rcptPath").append(i)
                    .append(")) = :rcptValue").append(i).append('\n');
            parameters.put("rcptPath" + i, "$.\"" + e.getKey() + "\"");
            parameters.put("rcptValue" + i, e.getValue());
            i++;
        }
        if (!oneList) {
            from.append("GROUP BY s.id"); // a subscriber on several target lists is selected once
        }
        return new Selection("s.id", oneList ? "sub.list_id" : "MIN(sub.list_id)", "s.email", "s.domain",
                from.toString(), parameters);
    }

    /**
     * The mailable subscribers of one list among {@code subscriberIds} (at most a few thousand), with the same meaning
     * of "mailable" as {@link #mailable}: a send to chosen people, such as the sunset rule's re-engagement message.
     */
    public Selection mailableAmong(long listId, List<Long> subscriberIds) {
        if (subscriberIds.isEmpty()) {
            throw new IllegalArgumentException("no subscribers to select");
        }
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("rcptList", listId);
        parameters.put("rcptIds", List.copyOf(subscriberIds));
        String from = """
                FROM subscription sub
                JOIN subscriber s ON s.id = sub.subscriber_id AND s.status = 'active'
                WHERE sub.status = 'confirmed' AND sub.list_id = :rcptList AND sub.subscriber_id IN (:rcptIds)
                  AND\s""" + suppressions.notSuppressedSql("s") + "\n";
        return new Selection("s.id", "sub.list_id", "s.email", "s.domain", from, parameters);
    }

    /**
     * Who of the members of {@code listIds} (each subscriber once) a campaign reaches and who it leaves out, and why,
     * counted now: one reason per subscriber, the first that applies of blocklisted, bounced, complained (their
     * global status), suppressed (the suppression list), then unconfirmed (on no list confirmed, on one waiting) and
     * unsubscribed. {@code mailable} is what {@link #mailable} selects with the same filter.
     */
    public record Audience(long members, long mailable, long unconfirmed, long unsubscribed, long bounced,
                           long blocklisted, long complained, long suppressed) {
        public long leftOut() {
            return members - mailable;
        }
    }

    /** The {@link Audience} of these lists among the subscribers whose attributes equal every filter value. */
    public Audience audience(List<Long> listIds, Map<String, String> attributeFilter) {
        if (listIds.isEmpty()) {
            return new Audience(0, 0, 0, 0, 0, 0, 0, 0);
        }
        StringBuilder where = new StringBuilder();
        Map<String, Object> parameters = new HashMap<>();
        int i = 0;
        for (Map.Entry<String, String> e : attributeFilter.entrySet()) {
            if (!ATTRIBUTE_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("attribute name '" + e.getKey() + "' is not allowed");
            }
            where.append(" AND JSON_UNQUOTE(JSON_EXTRACT(s.attributes, :path").append(i).append(")) = :value")
                    .append(i);
            parameters.put("path" + i, "$.\"" + e.getKey() + "\"");
            parameters.put("value" + i, e.getValue());
            i++;
        }
        var query = em.createNativeQuery("""
                SELECT COUNT(*),
                       COALESCE(SUM(st = 'active' AND ok = 1 AND conf = 1), 0),
                       COALESCE(SUM(st = 'active' AND ok = 1 AND conf = 0 AND unconf = 1), 0),
                       COALESCE(SUM(st = 'active' AND ok = 1 AND conf = 0 AND unconf = 0), 0),
                       COALESCE(SUM(st = 'bounced'), 0),
                       COALESCE(SUM(st = 'blocklisted'), 0),
                       COALESCE(SUM(st = 'complained'), 0),
                       COALESCE(SUM(st = 'active' AND ok = 0), 0)
                FROM (SELECT MAX(s.status) AS st,
                             MAX(sub.status = 'confirmed') AS conf,
                             MAX(sub.status = 'unconfirmed') AS unconf,
                             MAX(CASE WHEN %s THEN 1 ELSE 0 END) AS ok
                      FROM subscription sub JOIN subscriber s ON s.id = sub.subscriber_id
                      WHERE sub.list_id IN (:lists)%s
                      GROUP BY s.id) members""".formatted(suppressions.notSuppressedSql("s"), where))
                .setParameter("lists", List.copyOf(listIds));
        parameters.forEach(query::setParameter);
        Object[] r = (Object[]) query.getSingleResult();
        return new Audience(n(r[0]), n(r[1]), n(r[2]), n(r[3]), n(r[4]), n(r[5]), n(r[6]), n(r[7]));
    }

    private static long n(Object o) {
        return ((Number) o).longValue();
    }

    /** The highest subscriber id; a send that covers the subscribers up to it covers everyone there is now. */
    public long maxSubscriberId() {
        Number max = (Number) em.createNativeQuery("SELECT COALESCE(MAX(id), 0) FROM subscriber").getSingleResult();
        return max.longValue();
    }

    /**
     * The end of the next range of subscriber ids after {@code afterId}: the highest id such that no list of
     * {@code listIds} has more than {@code size} confirmed subscriptions in between, or {@code lastId} when every list
     * has fewer left. Lets a large send be queued in ranges of about {@code size} rows each.
     */
    public long nextRangeEnd(List<Long> listIds, long afterId, int size, long lastId) {
        long end = lastId;
        for (long listId : listIds) {
            @SuppressWarnings("unchecked")
            List<Number> nth = em.createNativeQuery("""
                            SELECT subscriber_id FROM subscription
                            WHERE list_id = ? AND status = 'confirmed' AND subscriber_id > ?
                            ORDER BY subscriber_id LIMIT 1 OFFSET ?""")
                    .setParameter(1, listId).setParameter(2, afterId).setParameter(3, size - 1).getResultList();
            if (!nth.isEmpty()) {
                end = Math.min(end, nth.get(0).longValue());
            }
        }
        return end;
    }

    /** The lowest of {@code listIds} the subscriber has a subscription on (in any status), if any. */
    public Optional<Long> firstListOf(long subscriberId, List<Long> listIds) {
        if (listIds.isEmpty()) {
            return Optional.empty();
        }
        Object id = em.createNativeQuery(
                        "SELECT MIN(list_id) FROM subscription WHERE subscriber_id = :s AND list_id IN (:lists)")
                .setParameter("s", subscriberId).setParameter("lists", listIds).getSingleResult();
        return Optional.ofNullable(id).map(n -> ((Number) n).longValue());
    }
}
