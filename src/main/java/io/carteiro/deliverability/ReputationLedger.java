package io.carteiro.deliverability;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The brakes' counters ({@code campaign_reputation}, {@code campaign_provider_window}, {@code attempt_cursor},
 * {@code sending_day}); every method runs in the caller's transaction, and the counters of a campaign are read
 * under a row lock so that two replicas never add the same attempts twice.
 */
@ApplicationScoped
class ReputationLedger {

    /** How far the attempt log was read. */
    record Cursor(long lastId, long highWater) {
    }

    /** One campaign's counters (mutable: a tick adds to them, then saves them). */
    static final class Counts {
        final long campaignId;
        int firstFinals;
        int firstHard;
        long delivered;
        Instant bounceBrakeAt;
        Instant complaintBrakeAt;
        Instant providerBrakeAt;

        Counts(long campaignId) {
            this.campaignId = campaignId;
        }
    }

    /** One (campaign, provider) window of attempts. */
    static final class Window {
        final long campaignId;
        final String provider;
        Instant start;
        int attempts;
        int refusals;
        int previousAttempts;
        int previousRefusals;
        String lastRefusal;

        Window(long campaignId, String provider, Instant start) {
            this.campaignId = campaignId;
            this.provider = provider;
            this.start = start;
        }
    }

    private final EntityManager em;

    ReputationLedger(EntityManager em) {
        this.em = em;
    }

    /** The cursor, locked; a first read starts at {@code startAt} (attempts before the brakes existed are not counted). */
    Cursor lockCursor(long startAt, Instant now) {
        em.createNativeQuery("INSERT IGNORE INTO attempt_cursor (id, last_id, high_water, updated_at) VALUES (1, ?, ?, ?)")
                .setParameter(1, startAt).setParameter(2, startAt).setParameter(3, Timestamp.from(now))
                .executeUpdate();
        Object[] r = (Object[]) em.createNativeQuery(
                "SELECT last_id, high_water FROM attempt_cursor WHERE id = 1 FOR UPDATE").getSingleResult();
        return new Cursor(((Number) r[0]).longValue(), ((Number) r[1]).longValue());
    }

    void moveCursor(long lastId, long highWater, Instant now) {
        em.createNativeQuery("UPDATE attempt_cursor SET last_id = ?, high_water = ?, updated_at = ? WHERE id = 1")
                .setParameter(1, lastId).setParameter(2, highWater).setParameter(3, Timestamp.from(now))
                .executeUpdate();
    }

    /** The counters of these campaigns, locked (zero for a campaign not seen before). */
    Map<Long, Counts> lockCounts(Collection<Long> campaignIds) {
        Map<Long, Counts> out = new HashMap<>();
        for (Long id : campaignIds) {
            out.put(id, new Counts(id));
        }
        if (campaignIds.isEmpty()) {
            return out;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT campaign_id, first_finals, first_hard, delivered, bounce_brake_at, complaint_brake_at,
                               provider_brake_at
                        FROM campaign_reputation WHERE campaign_id IN (:ids) FOR UPDATE""")
                .setParameter("ids", campaignIds).getResultList();
        for (Object[] r : rows) {
            Counts c = out.get(((Number) r[0]).longValue());
            c.firstFinals = ((Number) r[1]).intValue();
            c.firstHard = ((Number) r[2]).intValue();
            c.delivered = ((Number) r[3]).longValue();
            c.bounceBrakeAt = SqlTimes.instant(r[4]);
            c.complaintBrakeAt = SqlTimes.instant(r[5]);
            c.providerBrakeAt = SqlTimes.instant(r[6]);
        }
        return out;
    }

    void save(Collection<Counts> counts, Instant now) {
        for (Counts c : counts) {
            em.createNativeQuery("""
                            INSERT INTO campaign_reputation (campaign_id, first_finals, first_hard, delivered,
                                bounce_brake_at, complaint_brake_at, provider_brake_at, updated_at)
                            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                            ON DUPLICATE KEY UPDATE first_finals = ?2, first_hard = ?3, delivered = ?4,
                                bounce_brake_at = ?5, complaint_brake_at = ?6, provider_brake_at = ?7,
                                updated_at = ?8""")
                    .setParameter(1, c.campaignId).setParameter(2, c.firstFinals).setParameter(3, c.firstHard)
                    .setParameter(4, c.delivered).setParameter(5, timestamp(c.bounceBrakeAt))
                    .setParameter(6, timestamp(c.complaintBrakeAt)).setParameter(7, timestamp(c.providerBrakeAt))
                    .setParameter(8, Timestamp.from(now)).executeUpdate();
        }
    }

    /** The provider windows of these campaigns (the caller holds their counters' locks). */
    Map<String, Window> windows(Collection<Long> campaignIds) {
        Map<String, Window> out = new HashMap<>();
        if (campaignIds.isEmpty()) {
            return out;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT campaign_id, provider, window_start, attempts, refusals, prev_attempts, prev_refusals,
                               last_refusal
                        FROM campaign_provider_window WHERE campaign_id IN (:ids)""")
                .setParameter("ids", campaignIds).getResultList();
        for (Object[] r : rows) {
            Window w = new Window(((Number) r[0]).longValue(), (String) r[1], SqlTimes.instant(r[2]));
            w.attempts = ((Number) r[3]).intValue();
            w.refusals = ((Number) r[4]).intValue();
            w.previousAttempts = ((Number) r[5]).intValue();
            w.previousRefusals = ((Number) r[6]).intValue();
            w.lastRefusal = (String) r[7];
            out.put(key(w.campaignId, w.provider), w);
        }
        return out;
    }

    void saveWindows(Collection<Window> windows) {
        for (Window w : windows) {
            em.createNativeQuery("""
                            INSERT INTO campaign_provider_window (campaign_id, provider, window_start, attempts, refusals,
                                prev_attempts, prev_refusals, last_refusal)
                            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                            ON DUPLICATE KEY UPDATE window_start = ?3, attempts = ?4, refusals = ?5,
                                prev_attempts = ?6, prev_refusals = ?7, last_refusal = ?8""")
                    .setParameter(1, w.campaignId).setParameter(2, w.provider).setParameter(3, timestamp(w.start))
                    .setParameter(4, w.attempts).setParameter(5, w.refusals).setParameter(6, w.previousAttempts)
                    .setParameter(7, w.previousRefusals).setParameter(8, w.lastRefusal).executeUpdate();
        }
    }

    void addDelivered(Map<String, Long> byDayAndDomain) {
        for (Map.Entry<String, Long> e : byDayAndDomain.entrySet()) {
            int bar = e.getKey().indexOf('|');
            em.createNativeQuery("""
                            INSERT INTO sending_day (day, domain, delivered) VALUES (?, ?, ?)
                            ON DUPLICATE KEY UPDATE delivered = delivered + VALUES(delivered)""")
                    .setParameter(1, Date.valueOf(LocalDate.parse(e.getKey().substring(0, bar))))
                    .setParameter(2, e.getKey().substring(bar + 1)).setParameter(3, e.getValue()).executeUpdate();
        }
    }

    /** Messages delivered from {@code since} on (UTC days). */
    long deliveredSince(LocalDate since) {
        Number n = (Number) em.createNativeQuery("SELECT COALESCE(SUM(delivered), 0) FROM sending_day WHERE day >= ?")
                .setParameter(1, Date.valueOf(since)).getSingleResult();
        return n.longValue();
    }

    /** The counters of campaigns (for the desk's page): campaign id, first finals, first hard, delivered. */
    List<long[]> recentCounts(int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT campaign_id, first_finals, first_hard, delivered FROM campaign_reputation
                        ORDER BY updated_at DESC LIMIT ?""").setParameter(1, limit).getResultList();
        List<long[]> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new long[]{((Number) r[0]).longValue(), ((Number) r[1]).longValue(), ((Number) r[2]).longValue(),
                    ((Number) r[3]).longValue()});
        }
        return out;
    }

    static String key(long campaignId, String provider) {
        return campaignId + "|" + provider;
    }

    private static Timestamp timestamp(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
