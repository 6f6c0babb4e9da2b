package io.carteiro.engagement;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tracked links of each campaign ({@code tracked_link}) and its UTM parameters ({@code campaign_utm}): recorded
 * when a campaign is first loaded for sending, and looked up by every redirect, from memory after the first.
 * Numbers are given in order of first appearance and never change, so every replica and every restart signs the
 * same link with the same number.
 */
@ApplicationScoped
class LinkRegistry {

    /** A campaign's link targets (UTM applied), by link number: {@code targets[n]}, index 0 unused. */
    private record Targets(String[] targets) {
    }

    private static final int MAX_CACHED_CAMPAIGNS = 2000;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    private final Map<Long, Targets> cache = new ConcurrentHashMap<>();

    /**
     * Records the campaign's links (committed before any message carries them) and returns the number of each:
     * {@code numbers[i]} is the link number of {@code urls.get(i)}.
     */
    int[] register(long campaignId, List<String> urls) {
        if (urls.isEmpty()) {
            return new int[0];
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, Integer> known = numbered(campaignId);
            int next = known.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            Timestamp now = Timestamp.from(clock.instant());
            for (String url : urls) {
                if (!known.containsKey(url)) {
                    // INSERT IGNORE: a replica loading the same campaign at the same moment numbers it the same way.
                    em.createNativeQuery("""
                                    insert ignore into tracked_link (campaign_id, link_no, url, created_at)
                                    values (:campaign, :n, :url, :now)""")
                            .setParameter("campaign", campaignId).setParameter("n", next++)
                            .setParameter("url", url).setParameter("now", now).executeUpdate();
                }
            }
            known = numbered(campaignId);
            int[] numbers = new int[urls.size()];
            for (int i = 0; i < urls.size(); i++) {
                Integer n = known.get(urls.get(i));
                if (n == null) {
                    // Another writer took that number for another URL; give this one the next free number.
                    n = known.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
                    em.createNativeQuery("""
                                    insert into tracked_link (campaign_id, link_no, url, created_at)
                                    values (:campaign, :n, :url, :now)""")
                            .setParameter("campaign", campaignId).setParameter("n", n)
                            .setParameter("url", urls.get(i)).setParameter("now", now).executeUpdate();
                    known.put(urls.get(i), n);
                }
                numbers[i] = n;
            }
            cache.remove(campaignId);
            return numbers;
        });
    }

    /** Where link {@code linkNo} of the campaign leads (UTM parameters applied); empty for an unknown link. */
    Optional<String> target(long campaignId, int linkNo) {
        Targets targets = cache.get(campaignId);
        if (targets == null || linkNo >= targets.targets().length) {
            targets = QuarkusTransaction.requiringNew().call(() -> load(campaignId));
            if (cache.size() >= MAX_CACHED_CAMPAIGNS) {
                cache.clear();
            }
            cache.put(campaignId, targets);
        }
        return linkNo > 0 && linkNo < targets.targets().length
                ? Optional.ofNullable(targets.targets()[linkNo]) : Optional.empty();
    }

    /** The target from memory, without touching the database; empty when it is not cached (yet). */
    Optional<String> cachedTarget(long campaignId, int linkNo) {
        Targets targets = cache.get(campaignId);
        return targets != null && linkNo > 0 && linkNo < targets.targets().length
                ? Optional.ofNullable(targets.targets()[linkNo]) : Optional.empty();
    }

    /** The UTM parameters the campaign's links get ({@link Utm#NONE} when it has none or they are turned off). */
    Utm utm(long campaignId) {
        Utm.Setting setting = utmSetting(campaignId);
        return setting.enabled() ? setting.utm() : Utm.NONE;
    }

    /** The campaign's UTM parameters as the owner left them, on or off. */
    Utm.Setting utmSetting(long campaignId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select utm_source, utm_medium, utm_campaign, enabled from campaign_utm
                        where campaign_id = :id""")
                .setParameter("id", campaignId).getResultList();
        return rows.stream().findFirst()
                .map(r -> new Utm.Setting(Boolean.TRUE.equals(r[3]) || (r[3] instanceof Number n && n.intValue() != 0),
                        new Utm((String) r[0], (String) r[1], (String) r[2])))
                .orElse(Utm.Setting.OFF);
    }

    /** Sets (or, when all are blank, removes) the campaign's UTM parameters and whether they are added. */
    void setUtm(long campaignId, Utm.Setting setting) {
        Utm utm = setting.utm();
        em.createNativeQuery("delete from campaign_utm where campaign_id = :id").setParameter("id", campaignId)
                .executeUpdate();
        if (!utm.none()) {
            em.createNativeQuery("""
                            insert into campaign_utm (campaign_id, utm_source, utm_medium, utm_campaign, enabled,
                                updated_at)
                            values (:id, :source, :medium, :campaign, :enabled, :now)""")
                    .setParameter("id", campaignId).setParameter("source", blankToNull(utm.source()))
                    .setParameter("medium", blankToNull(utm.medium()))
                    .setParameter("campaign", blankToNull(utm.campaign()))
                    .setParameter("enabled", setting.enabled())
                    .setParameter("now", Timestamp.from(clock.instant())).executeUpdate();
        }
        cache.remove(campaignId);
    }

    /** The campaign's links in number order, as written (without UTM). */
    List<String> urls(long campaignId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select link_no, url from tracked_link where campaign_id = :id order by link_no")
                .setParameter("id", campaignId).getResultList();
        List<String> urls = new ArrayList<>();
        for (Object[] r : rows) {
            urls.add((String) r[1]);
        }
        return urls;
    }

    private Targets load(long campaignId) {
        Map<String, Integer> numbered = numbered(campaignId);
        Utm utm = utm(campaignId);
        int max = numbered.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        String[] targets = new String[max + 1];
        numbered.forEach((url, n) -> targets[n] = utm.applyTo(url));
        return new Targets(targets);
    }

    private Map<String, Integer> numbered(long campaignId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select url, link_no from tracked_link where campaign_id = :id")
                .setParameter("id", campaignId).getResultList();
        Map<String, Integer> out = new HashMap<>();
        for (Object[] r : rows) {
            out.put((String) r[0], ((Number) r[1]).intValue());
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
