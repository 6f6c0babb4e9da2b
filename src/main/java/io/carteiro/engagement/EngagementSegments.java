package io.carteiro.engagement;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Engagement conditions on a list's subscribers, answered from {@code subscription_engagement} (lists tracked per
 * subscriber; machine hits never reach it) through its (list_id, last_human_at) index, a page of subscriber ids at
 * a time (keyset on the id), and each list's health. These are the queries the segments feature's condition kinds
 * call; a segment on a list tracked in aggregate or not at all matches nobody, since nobody's clicks are known.
 */
@ApplicationScoped
public class EngagementSegments {

    /** An engagement condition. */
    public enum Kind {
        /** A person's click in the last N days. */
        CLICKED,
        /** A person's open in the last N days. */
        OPENED,
        /** A person's click or open in the last N days. */
        ENGAGED,
        /** No click or open by a person in the last N campaign messages delivered to them. */
        INACTIVE;

        /** Parses the lower-case name; anything else names the choices. */
        public static Kind parse(String text) {
            for (Kind k : values()) {
                if (k.name().toLowerCase(Locale.ROOT).equals(text == null ? "" : text.strip().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new IllegalArgumentException("segment must be 'clicked', 'opened', 'engaged' or 'inactive', not '"
                    + text + "'");
        }
    }

    /** One condition of a saved segment: {@code kind} on list {@code listId} with {@code n} days or campaigns. */
    public record Condition(Kind kind, long listId, int n) {
    }

    /**
     * How many subscribers meet every condition (each on a running subscription of its list, tracked per
     * subscriber; people's engagement only). One statement: the first condition drives, the others are EXISTS
     * probes on the same primary key.
     */
    @Transactional
    public long count(List<Condition> conditions) {
        if (conditions.isEmpty()) {
            return 0;
        }
        StringBuilder sql = new StringBuilder("""
                select count(*) from subscription_engagement e0
                join subscription s0 on s0.list_id = e0.list_id and s0.subscriber_id = e0.subscriber_id
                where s0.status = 'confirmed' and e0.list_id = :list0 and\s""").append(condition(conditions.get(0), 0));
        for (int i = 1; i < conditions.size(); i++) {
            sql.append(" and exists (select 1 from subscription_engagement e").append(i)
                    .append(" join subscription s").append(i).append(" on s").append(i).append(".list_id = e")
                    .append(i).append(".list_id and s").append(i).append(".subscriber_id = e").append(i)
                    .append(".subscriber_id where s").append(i).append(".status = 'confirmed' and e").append(i)
                    .append(".list_id = :list").append(i).append(" and e").append(i)
                    .append(".subscriber_id = e0.subscriber_id and ").append(condition(conditions.get(i), i))
                    .append(')');
        }
        var query = em.createNativeQuery(sql.toString());
        Instant now = clock.instant();
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = conditions.get(i);
            query.setParameter("list" + i, c.listId());
            if (c.kind() == Kind.INACTIVE) {
                query.setParameter("n" + i, c.n());
            } else {
                query.setParameter("n" + i, Timestamp.from(now.minus(Duration.ofDays(c.n()))));
            }
        }
        return ((Number) query.getSingleResult()).longValue();
    }

    private static String condition(Condition c, int i) {
        String e = "e" + i;
        return switch (c.kind()) {
            case CLICKED -> e + ".last_human_click_at >= :n" + i;
            case OPENED -> e + ".last_human_open_at >= :n" + i;
            case ENGAGED -> e + ".last_human_at >= :n" + i;
            case INACTIVE -> e + ".delivered_since_human >= :n" + i;
        };
    }

    /** How many of a list's tracked subscribers are engaged, at risk or dormant. */
    public record Health(long engaged, long atRisk, long dormant) {
    }

    @Inject
    EntityManager em;

    @Inject
    EngagementConfig config;

    @Inject
    Clock clock;

    /**
     * Up to {@code limit} subscribers of the list matching the condition with {@code n} days (or, for INACTIVE,
     * campaigns), ids above {@code after}, in id order. Subscriptions that ended are left out.
     */
    @Transactional
    public List<Long> members(long listId, Kind kind, int n, long after, int limit) {
        String condition = switch (kind) {
            case CLICKED -> "e.last_human_click_at >= :since";
            case OPENED -> "e.last_human_open_at >= :since";
            case ENGAGED -> "e.last_human_at >= :since";
            case INACTIVE -> "e.delivered_since_human >= :n";
        };
        var query = em.createNativeQuery("""
                        select e.subscriber_id from subscription_engagement e
                        join subscription s on s.list_id = e.list_id and s.subscriber_id = e.subscriber_id
                        where e.list_id = :list and s.status = 'confirmed' and e.subscriber_id > :after"""
                        + " and " + condition + " order by e.subscriber_id limit :limit")
                .setParameter("list", listId).setParameter("after", after).setParameter("limit", limit);
        if (kind == Kind.INACTIVE) {
            query.setParameter("n", n);
        } else {
            query.setParameter("since", Timestamp.from(clock.instant().minus(Duration.ofDays(n))));
        }
        return query.getResultList().stream().map(o -> ((Number) o).longValue()).toList();
    }

    /** {@link #health} of every list that has tracked subscriptions, in one grouped query, by list id. */
    @Transactional
    public java.util.Map<Long, Health> healthOfAll() {
        Instant now = clock.instant();
        Timestamp engaged = Timestamp.from(now.minus(Duration.ofDays(config.health().engagedDays())));
        Timestamp dormant = Timestamp.from(now.minus(Duration.ofDays(config.health().dormantDays())));
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select e.list_id, coalesce(sum(e.last_human_at >= :engaged), 0),
                               coalesce(sum(coalesce(e.last_human_at, e.first_delivered_at) < :dormant), 0),
                               count(*)
                        from subscription_engagement e
                        join subscription s on s.list_id = e.list_id and s.subscriber_id = e.subscriber_id
                        where s.status = 'confirmed' group by e.list_id""")
                .setParameter("engaged", engaged).setParameter("dormant", dormant).getResultList();
        java.util.Map<Long, Health> out = new java.util.HashMap<>();
        for (Object[] r : rows) {
            long e = ((Number) r[1]).longValue();
            long d = ((Number) r[2]).longValue();
            out.put(((Number) r[0]).longValue(), new Health(e, ((Number) r[3]).longValue() - e - d, d));
        }
        return out;
    }

    /**
     * Engaged: a person's click or open within {@code carteiro.engagement.health.engaged-days}; dormant: none within
     * {@code dormant-days} (counted from their first delivered message when they never engaged); at risk: between.
     */
    @Transactional
    public Health health(long listId) {
        Instant now = clock.instant();
        Timestamp engaged = Timestamp.from(now.minus(Duration.ofDays(config.health().engagedDays())));
        Timestamp dormant = Timestamp.from(now.minus(Duration.ofDays(config.health().dormantDays())));
        Object[] r = (Object[]) em.createNativeQuery("""
                        select coalesce(sum(e.last_human_at >= :engaged), 0),
                               coalesce(sum(coalesce(e.last_human_at, e.first_delivered_at) < :dormant), 0),
                               count(*)
                        from subscription_engagement e
                        join subscription s on s.list_id = e.list_id and s.subscriber_id = e.subscriber_id
                        where e.list_id = :list and s.status = 'confirmed'""")
                .setParameter("list", listId).setParameter("engaged", engaged).setParameter("dormant", dormant)
                .getSingleResult();
        long e = ((Number) r[0]).longValue();
        long d = ((Number) r[1]).longValue();
        return new Health(e, ((Number) r[2]).longValue() - e - d, d);
    }
}
