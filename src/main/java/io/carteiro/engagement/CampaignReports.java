package io.carteiro.engagement;

import io.carteiro.bounces.CampaignBounceCounts;
import io.carteiro.campaigns.CampaignFacts;
import io.carteiro.delivery.DeferredByDomain;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds campaign reports from the counters (a few hundred rows for a 1M-recipient campaign: per link, per domain,
 * per hour), the bounce index and the live deferrals; the previous campaigns' figures in one query per table.
 */
@ApplicationScoped
public class CampaignReports {

    /** How many earlier campaigns the report compares with. */
    static final int PREVIOUS = 3;
    /** How many recipient domains the report lists (the most delivered first); the rest only count in totals. */
    static final int DOMAINS = 100;
    static final Duration TIMELINE = Duration.ofHours(48);

    @Inject
    EntityManager em;

    @Inject
    CampaignFacts campaigns;

    @Inject
    CampaignBounceCounts bounces;

    @Inject
    DeferredByDomain deferrals;

    /** The campaign's report, or empty when there is no such campaign. */
    @Transactional
    public Optional<CampaignReport> of(long campaignId) {
        Optional<CampaignFacts.Fact> found = campaigns.find(campaignId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        CampaignFacts.Fact c = found.get();
        List<CampaignFacts.Fact> earlier = campaigns.startedBefore(campaignId, PREVIOUS);
        List<Long> ids = new ArrayList<>();
        ids.add(campaignId);
        earlier.forEach(f -> ids.add(f.id()));
        Map<Long, CampaignReport.Summary> summaries = summaries(ids, earlier, c);
        CampaignReport.Summary own = summaries.get(campaignId);
        long[] totals = deliveryTotals(campaignId);
        Map<String, Long> deferred = deferrals.of(campaignId);
        CampaignBounceCounts.Counts b = bounces.of(List.of(campaignId)).get(campaignId);
        long[] engagement = engagement(List.of(campaignId)).getOrDefault(campaignId, new long[6]);
        return Optional.of(new CampaignReport(campaignId, c.name(), c.status(), c.startedAt(), totals[0],
                deferred.values().stream().mapToLong(Long::longValue).sum(), b.bounced(), b.hard(), b.soft(),
                totals[1], totals[2], b.complaints(), own.unsubscribed(),
                new CampaignReport.Clicks(engagement[0], engagement[1], engagement[2]),
                new CampaignReport.Opens(engagement[3], engagement[4], engagement[5]),
                own.clickToOpen(), links(campaignId), domains(campaignId, deferred), timeline(c),
                earlier.stream().map(f -> summaries.get(f.id())).toList()));
    }

    /** Delivered, blocked and failed messages, summed over the campaign's domains. */
    private long[] deliveryTotals(long campaignId) {
        Object[] r = (Object[]) em.createNativeQuery("""
                        select coalesce(sum(delivered), 0), coalesce(sum(blocked), 0), coalesce(sum(failed), 0)
                        from campaign_domain_stat where campaign_id = :id""")
                .setParameter("id", campaignId).getSingleResult();
        return new long[]{num(r[0]), num(r[1]), num(r[2])};
    }

    private List<CampaignReport.Link> links(long campaignId) {
        List<CampaignReport.Link> out = new ArrayList<>();
        for (Object[] r : rows(em.createNativeQuery("""
                        select link_no, url, human_clicks, machine_clicks, unique_human from tracked_link
                        where campaign_id = :id order by link_no""")
                .setParameter("id", campaignId).getResultList())) {
            out.add(new CampaignReport.Link((int) num(r[0]), (String) r[1], num(r[2]), num(r[3]), num(r[4])));
        }
        return out;
    }

    private List<CampaignReport.Domain> domains(long campaignId, Map<String, Long> deferred) {
        Map<String, CampaignReport.Domain> out = new LinkedHashMap<>();
        for (Object[] r : rows(em.createNativeQuery("""
                        select domain, delivered, bounced, blocked, human_clicks, machine_clicks
                        from campaign_domain_stat where campaign_id = :id
                        order by delivered + bounced + blocked desc, domain limit :n""")
                .setParameter("id", campaignId).setParameter("n", DOMAINS).getResultList())) {
            String domain = (String) r[0];
            out.put(domain, new CampaignReport.Domain(domain, num(r[1]), deferred.getOrDefault(domain, 0L), num(r[2]),
                    num(r[3]), num(r[4]), num(r[5])));
        }
        // A domain that has only deferrals so far (it refuses everything with 4xx) is exactly the one to see.
        for (Map.Entry<String, Long> e : deferred.entrySet()) {
            if (!out.containsKey(e.getKey()) && out.size() < DOMAINS * 2) {
                out.put(e.getKey(), new CampaignReport.Domain(e.getKey(), 0, e.getValue(), 0, 0, 0, 0));
            }
        }
        return List.copyOf(out.values());
    }

    /** Each hour from the campaign's start through the next 48, with zeros where nothing happened. */
    private List<CampaignReport.Hour> timeline(CampaignFacts.Fact c) {
        if (c.startedAt() == null) {
            return List.of();
        }
        Instant from = c.startedAt().truncatedTo(ChronoUnit.HOURS);
        Instant to = from.plus(TIMELINE);
        Map<Instant, long[]> hours = new HashMap<>();
        for (Object[] r : rows(em.createNativeQuery("""
                        select hour, delivered, human_clicks, machine_clicks, human_opens, machine_opens
                        from campaign_timeline where campaign_id = :id and hour >= :from and hour < :to""")
                .setParameter("id", c.id()).setParameter("from", utc(from)).setParameter("to", utc(to))
                .getResultList())) {
            hours.put(instant(r[0]), new long[]{num(r[1]), num(r[2]), num(r[3]), num(r[4]), num(r[5])});
        }
        List<CampaignReport.Hour> out = new ArrayList<>();
        for (Instant h = from; h.isBefore(to); h = h.plus(Duration.ofHours(1))) {
            long[] v = hours.getOrDefault(h, new long[5]);
            out.add(new CampaignReport.Hour(h, v[0], v[1], v[2], v[3], v[4]));
        }
        return out;
    }

    /** Headline figures of these campaigns, a handful of grouped queries for all of them. */
    private Map<Long, CampaignReport.Summary> summaries(List<Long> ids, List<CampaignFacts.Fact> earlier,
                                                        CampaignFacts.Fact current) {
        Map<Long, long[]> delivered = new HashMap<>();
        for (Object[] r : rows(em.createNativeQuery("""
                        select campaign_id, sum(delivered) from campaign_domain_stat where campaign_id in (:ids)
                        group by campaign_id""").setParameter("ids", ids).getResultList())) {
            delivered.put(num(r[0]), new long[]{num(r[1])});
        }
        Map<Long, Long> unsubscribed = new HashMap<>();
        for (Object[] r : rows(em.createNativeQuery("""
                        select campaign_id, count(*) from campaign_unsubscribe where campaign_id in (:ids)
                        group by campaign_id""").setParameter("ids", ids).getResultList())) {
            unsubscribed.put(num(r[0]), num(r[1]));
        }
        Map<Long, long[]> engagement = engagement(ids);
        Map<Long, CampaignBounceCounts.Counts> bounced = bounces.of(ids);
        Map<Long, CampaignFacts.Fact> facts = new HashMap<>();
        facts.put(current.id(), current);
        earlier.forEach(f -> facts.put(f.id(), f));
        Map<Long, CampaignReport.Summary> out = new HashMap<>();
        for (long id : ids) {
            CampaignFacts.Fact f = facts.get(id);
            long[] e = engagement.getOrDefault(id, new long[6]);
            CampaignBounceCounts.Counts b = bounced.getOrDefault(id, CampaignBounceCounts.Counts.NONE);
            out.put(id, new CampaignReport.Summary(id, f.name(), f.startedAt(),
                    delivered.getOrDefault(id, new long[1])[0], b.bounced(), b.complaints(),
                    unsubscribed.getOrDefault(id, 0L), e[0], e[2], e[1], e[3], e[5],
                    CampaignReport.clickToOpen(e[2], e[5])));
        }
        return out;
    }

    /** human clicks, machine clicks, unique human clicks, human opens, machine opens, unique human opens. */
    private Map<Long, long[]> engagement(Collection<Long> ids) {
        Map<Long, long[]> out = new HashMap<>();
        for (Object[] r : rows(em.createNativeQuery("""
                        select campaign_id, human_clicks, machine_clicks, unique_human_clicks, human_opens,
                               machine_opens, unique_human_opens
                        from campaign_engagement where campaign_id in (:ids)""").setParameter("ids", ids)
                .getResultList())) {
            out.put(num(r[0]), new long[]{num(r[1]), num(r[2]), num(r[3]), num(r[4]), num(r[5]), num(r[6])});
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> rows(List<?> result) {
        return (List<Object[]>) result;
    }

    private static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    /** Bound as the other native queries bind instants: a Timestamp, written in UTC (hibernate jdbc.timezone). */
    private static Timestamp utc(Instant at) {
        return Timestamp.from(at);
    }

    private static Instant instant(Object o) {
        if (o instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC);
        }
        return ((Timestamp) o).toInstant();
    }
}
