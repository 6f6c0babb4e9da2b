package io.carteiro.bounces;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The read side of the bounce feature: recorded bounces by filter, bounces per day, messages kept for review. */
@ApplicationScoped
class BounceQueries {

    /** One recorded bounce as the API and the pages show it. */
    record BounceView(long id, String email, String kind, String source, Integer statusCode, String enhancedStatus,
                      String diagnostic, Instant receivedAt, Long campaignId, String action) {
    }

    /** Which bounces to show; null fields do not filter. */
    record Filter(String kind, Long campaignId, String domain, String email) {
        static final Filter NONE = new Filter(null, null, null, null);
    }

    /** Bounces received on one day (UTC). */
    record DayCount(LocalDate day, long count) {
    }

    /** An inbound message kept for review, without its raw body. */
    record UnparsedView(long id, Instant receivedAt, String channel, String mailFrom, String rcptTo, String from,
                        String subject, String reason, int size) {
    }

    private final EntityManager em;

    BounceQueries(EntityManager em) {
        this.em = em;
    }

    @Transactional
    List<BounceView> search(Filter filter, int limit) {
        StringBuilder sql = new StringBuilder("""
                select b.id, b.email, b.kind, b.source, b.status_code, b.enhanced_status, b.diagnostic, b.received_at,
                       b.campaign_id, b.action from bounce b""");
        Map<String, Object> params = where(filter, sql);
        sql.append(" order by b.received_at desc, b.id desc limit ").append(Math.max(1, Math.min(limit, 1000)));
        Query query = em.createNativeQuery(sql.toString());
        params.forEach(query::setParameter);
        List<BounceView> views = new ArrayList<>();
        for (Object o : query.getResultList()) {
            Object[] r = (Object[]) o;
            views.add(new BounceView(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3],
                    r[4] == null ? null : ((Number) r[4]).intValue(), (String) r[5], (String) r[6], SqlTimes.instant(r[7]),
                    r[8] == null ? null : ((Number) r[8]).longValue(), (String) r[9]));
        }
        return views;
    }

    /** Bounces per UTC day over the last {@code days} days, oldest first, days without bounces included. */
    @Transactional
    List<DayCount> perDay(Filter filter, int days, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(days - 1L);
        StringBuilder sql = new StringBuilder("select date(b.received_at), count(*) from bounce b");
        Map<String, Object> params = where(filter, sql);
        sql.append(params.isEmpty() ? " where " : " and ").append("b.received_at >= :first group by date(b.received_at)");
        params.put("first", Timestamp.from(first.atStartOfDay().toInstant(ZoneOffset.UTC)));
        Query query = em.createNativeQuery(sql.toString());
        params.forEach(query::setParameter);
        Map<LocalDate, Long> counts = new LinkedHashMap<>();
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            counts.put(d, 0L);
        }
        for (Object o : query.getResultList()) {
            Object[] r = (Object[]) o;
            LocalDate day = r[0] instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) r[0];
            counts.computeIfPresent(day, (k, v) -> ((Number) r[1]).longValue());
        }
        return counts.entrySet().stream().map(e -> new DayCount(e.getKey(), e.getValue())).toList();
    }

    /** Bounces of these kinds received on each UTC day from {@code first} to {@code last}, one grouped query. */
    @Transactional
    List<Long> perDayOfKinds(List<String> kinds, LocalDate first, LocalDate last) {
        List<?> rows = em.createNativeQuery("""
                        select date(received_at), count(*) from bounce
                        where kind in (:kinds) and received_at >= :from and received_at < :to
                        group by date(received_at)""")
                .setParameter("kinds", kinds)
                .setParameter("from", Timestamp.from(first.atStartOfDay().toInstant(ZoneOffset.UTC)))
                .setParameter("to", Timestamp.from(last.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)))
                .getResultList();
        return io.carteiro.web.DashboardSeries.perDay(first, last, rows);
    }

    @Transactional
    /** How many bounces were received after {@code since}. */
    long receivedSince(Instant since) {
        return ((Number) em.createNativeQuery("select count(*) from bounce where received_at > :since")
                .setParameter("since", since).getSingleResult()).longValue();
    }

    List<UnparsedView> unparsed(int limit) {
        List<UnparsedView> views = new ArrayList<>();
        for (Object o : em.createNativeQuery("""
                        select id, received_at, channel, mail_from, rcpt_to, from_header, subject, reason, size_bytes
                        from inbound_unparsed order by id desc limit :limit""")
                .setParameter("limit", limit).getResultList()) {
            Object[] r = (Object[]) o;
            views.add(new UnparsedView(((Number) r[0]).longValue(), SqlTimes.instant(r[1]), (String) r[2], (String) r[3],
                    (String) r[4], (String) r[5], (String) r[6], (String) r[7], ((Number) r[8]).intValue()));
        }
        return views;
    }

    @Transactional
    Optional<byte[]> unparsedRaw(long id) {
        return em.createNativeQuery("select raw from inbound_unparsed where id = :id").setParameter("id", id)
                .getResultList().stream().findFirst().map(b -> (byte[]) b);
    }

    @Transactional
    boolean deleteUnparsed(long id) {
        return em.createNativeQuery("delete from inbound_unparsed where id = :id").setParameter("id", id)
                .executeUpdate() == 1;
    }

    private static Map<String, Object> where(Filter filter, StringBuilder sql) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (filter.kind() != null) {
            conditions.add("b.kind = :kind");
            params.put("kind", filter.kind());
        }
        if (filter.campaignId() != null) {
            conditions.add("b.campaign_id = :campaign");
            params.put("campaign", filter.campaignId());
        }
        if (filter.domain() != null) {
            conditions.add("b.domain = :domain");
            params.put("domain", filter.domain().toLowerCase(Locale.ROOT));
        }
        if (filter.email() != null) {
            conditions.add("b.subscriber_id in (select s.id from subscriber s where s.email_key = :email)");
            params.put("email", filter.email());
        }
        if (!conditions.isEmpty()) {
            sql.append(" where ").append(String.join(" and ", conditions));
        }
        return params;
    }

}
