package io.carteiro.campaigns;

import io.carteiro.subscribers.Suppressions;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Query;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Campaign rows and the campaign's share of the outbound queue. Bulk work on recipients is one set-based statement
 * each: queueing every eligible subscriber, holding, releasing, cancelling and re-queueing.
 */
@ApplicationScoped
class CampaignRepository implements PanacheRepository<Campaign> {

    @Inject
    Suppressions suppressions;

    static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** The campaign, locked for the rest of the transaction (so two replicas do not start or change it at once). */
    Optional<Campaign> lockById(long id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    List<Long> listIds(long campaignId) {
        @SuppressWarnings("unchecked")
        List<Number> ids = getEntityManager().createNativeQuery(
                        "SELECT list_id FROM campaign_list WHERE campaign_id = ? ORDER BY list_id")
                .setParameter(1, campaignId).getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    long listFor(long campaignId, long subscriberId) {
        Object id = getEntityManager().createNativeQuery("""
                        SELECT COALESCE(
                            (SELECT MIN(s.list_id) FROM subscription s JOIN campaign_list cl ON cl.list_id = s.list_id
                             WHERE cl.campaign_id = ?1 AND s.subscriber_id = ?2),
                            (SELECT MIN(list_id) FROM campaign_list WHERE campaign_id = ?1), 0)""")
                .setParameter(1, campaignId).setParameter(2, subscriberId).getSingleResult();
        return ((Number) id).longValue();
    }

    void replaceLists(long campaignId, List<Long> listIds) {
        getEntityManager().createNativeQuery("DELETE FROM campaign_list WHERE campaign_id = ?")
                .setParameter(1, campaignId).executeUpdate();
        for (Long listId : listIds) {
            getEntityManager().createNativeQuery("INSERT INTO campaign_list (campaign_id, list_id) VALUES (?, ?)")
                    .setParameter(1, campaignId).setParameter(2, listId).executeUpdate();
        }
    }

    /** The ids among {@code listIds} that name no list. */
    List<Long> missingLists(List<Long> listIds) {
        @SuppressWarnings("unchecked")
        List<Number> found = getEntityManager().createNativeQuery("SELECT id FROM mailing_list WHERE id IN (:ids)")
                .setParameter("ids", listIds).getResultList();
        List<Long> existing = found.stream().map(Number::longValue).toList();
        return listIds.stream().filter(id -> !existing.contains(id)).toList();
    }

    /** The default sender of a list: from_email, from_name, reply_to (any may be null). */
    Optional<String[]> listSender(long listId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery(
                        "SELECT from_email, from_name, reply_to FROM mailing_list WHERE id = ?")
                .setParameter(1, listId).getResultList();
        return rows.stream().findFirst().map(r -> new String[]{(String) r[0], (String) r[1], (String) r[2]});
    }

    /**
     * Queues one message per eligible subscriber with an id in (afterId, throughId], in one statement: subscribed
     * and confirmed on any target list (each subscriber once, for the lowest such list id), active, let through by the
     * suppression gate ({@link Suppressions#notSuppressedSql}), matching the attribute filter. The unique (campaign,
     * subscriber) key and INSERT IGNORE make a second run add nothing.
     *
     * @param dueAt when the rows become due, or null to hold them for the throttle's releases
     * @return rows inserted
     */
    int queueRecipients(Campaign campaign, String sender, long afterId, long throughId, Instant dueAt,
                        Instant expiresAt, Instant now) {
        boolean oneList = listIds(campaign.id).size() == 1;
        StringBuilder sql = new StringBuilder("""
                INSERT IGNORE INTO outbound_message (campaign_id, subscriber_id, list_id, recipient, recipient_domain,
                    sender, state, priority, next_attempt_at, expires_at, created_at)
                SELECT :campaign, s.id, %s, s.email, s.domain, :sender, 'queued', 0, :due, :expires, :now
                FROM campaign_list cl
                JOIN subscription sub ON sub.list_id = cl.list_id AND sub.status = 'confirmed'
                JOIN subscriber s ON s.id = sub.subscriber_id AND s.status = 'active'
                WHERE cl.campaign_id = :campaign AND sub.subscriber_id > :after AND sub.subscriber_id <= :through
                  AND %s
                """.formatted(oneList ? "sub.list_id" : "MIN(sub.list_id)", suppressions.notSuppressedSql("s")));
        Map<String, String> filter = campaign.filter();
        int i = 0;
        List<String[]> params = new ArrayList<>();
        for (Map.Entry<String, String> e : filter.entrySet()) {
            if (!ATTRIBUTE_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("attribute name '" + e.getKey() + "' is not allowed");
            }
            sql.append("  AND JSON_UNQUOTE(JSON_EXTRACT(s.attributes, :path").append(i)
                    .append(")) = :value").append(i).append('\n');
            params.add(new String[]{"$.\"" + e.getKey() + "\"", e.getValue()});
            i++;
        }
        if (!oneList) {
            sql.append("GROUP BY s.id"); // a subscriber on several target lists is queued once
        }
        Query q = getEntityManager().createNativeQuery(sql.toString())
                .setParameter("campaign", campaign.id)
                .setParameter("sender", sender)
                .setParameter("after", afterId)
                .setParameter("through", throughId)
                .setParameter("due", dueAt == null ? null : Timestamp.from(dueAt))
                .setParameter("expires", Timestamp.from(expiresAt))
                .setParameter("now", Timestamp.from(now));
        for (int p = 0; p < params.size(); p++) {
            q.setParameter("path" + p, params.get(p)[0]).setParameter("value" + p, params.get(p)[1]);
        }
        return q.executeUpdate();
    }

    /** The highest subscriber id; queueing a campaign covers the subscribers up to it. */
    long maxSubscriberId() {
        Number max = (Number) getEntityManager().createNativeQuery("SELECT COALESCE(MAX(id), 0) FROM subscriber")
                .getSingleResult();
        return max.longValue();
    }

    /**
     * The end of the next queueing range after {@code afterId}: the highest id such that no target list has more
     * than {@code size} confirmed subscriptions in between, or {@code lastId} when every list has fewer left.
     */
    long nextRangeEnd(long campaignId, long afterId, int size, long lastId) {
        long end = lastId;
        for (long listId : listIds(campaignId)) {
            @SuppressWarnings("unchecked")
            List<Number> nth = getEntityManager().createNativeQuery("""
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

    /** Takes the campaign's unsent rows out of the engine's reach (next_attempt_at NULL is never due). */
    int hold(long campaignId) {
        return getEntityManager().createNativeQuery("""
                        UPDATE outbound_message SET next_attempt_at = NULL
                        WHERE campaign_id = ? AND state IN ('queued', 'deferred') AND next_attempt_at IS NOT NULL""")
                .setParameter(1, campaignId).executeUpdate();
    }

    /** Makes up to {@code limit} held rows due now, in id order, so a resume continues where the pause stopped. */
    int release(long campaignId, long limit, Instant now) {
        if (limit <= 0) {
            return 0;
        }
        return getEntityManager().createNativeQuery("""
                        UPDATE outbound_message SET next_attempt_at = ?
                        WHERE campaign_id = ? AND state IN ('queued', 'deferred') AND next_attempt_at IS NULL
                        ORDER BY id LIMIT ?""")
                .setParameter(1, Timestamp.from(now)).setParameter(2, campaignId)
                .setParameter(3, Math.min(limit, Integer.MAX_VALUE)).executeUpdate();
    }

    /** Cancels every row not yet handed to an exchanger. */
    int cancelUnsent(long campaignId) {
        return getEntityManager().createNativeQuery("""
                        UPDATE outbound_message SET state = 'cancelled', next_attempt_at = NULL
                        WHERE campaign_id = ? AND state IN ('queued', 'deferred')""")
                .setParameter(1, campaignId).executeUpdate();
    }

    /** Puts the failed rows (given up after their lifetime, or failed outright) back in the queue. */
    int requeueFailed(long campaignId, Instant dueAt, Instant expiresAt) {
        return getEntityManager().createNativeQuery("""
                        UPDATE outbound_message SET state = 'queued', attempts = 0, next_attempt_at = ?, expires_at = ?,
                            lease_owner = NULL, lease_until = NULL
                        WHERE campaign_id = ? AND state = 'failed'""")
                .setParameter(1, dueAt == null ? null : Timestamp.from(dueAt))
                .setParameter(2, Timestamp.from(expiresAt)).setParameter(3, campaignId).executeUpdate();
    }

    /** Whether any message of the campaign is still to be sent (queued, being sent, or deferred). */
    boolean hasUnfinished(long campaignId) {
        return !getEntityManager().createNativeQuery("""
                        SELECT 1 FROM outbound_message
                        WHERE campaign_id = ? AND state IN ('queued', 'sending', 'deferred') LIMIT 1""")
                .setParameter(1, campaignId).getResultList().isEmpty();
    }

    /** Rows of the campaign by state. */
    Map<String, Long> countByState(long campaignId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                        SELECT CASE WHEN state = 'queued' AND next_attempt_at IS NULL THEN 'held' ELSE state END,
                               COUNT(*)
                        FROM outbound_message WHERE campaign_id = ? GROUP BY 1""")
                .setParameter(1, campaignId).getResultList();
        Map<String, Long> counts = new java.util.HashMap<>();
        for (Object[] r : rows) {
            counts.put((String) r[0], ((Number) r[1]).longValue());
        }
        return counts;
    }

    /** Messages sent per minute since {@code since}. */
    List<CampaignProgress.MinuteCount> sentPerMinute(long campaignId, Instant since) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                        SELECT FLOOR(UNIX_TIMESTAMP(sent_at) / 60) AS minute, COUNT(*)
                        FROM outbound_message
                        WHERE campaign_id = ? AND state = 'sent' AND sent_at >= ?
                        GROUP BY minute ORDER BY minute""")
                .setParameter(1, campaignId).setParameter(2, Timestamp.from(since)).getResultList();
        List<CampaignProgress.MinuteCount> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new CampaignProgress.MinuteCount(Instant.ofEpochSecond(((Number) r[0]).longValue() * 60),
                    ((Number) r[1]).longValue()));
        }
        return out;
    }

    /** Whether the last {@code streak} delivery attempts of the campaign all failed permanently. */
    boolean failedInARow(long campaignId, int streak) {
        @SuppressWarnings("unchecked")
        List<String> outcomes = getEntityManager().createNativeQuery("""
                        SELECT a.outcome FROM delivery_attempt a
                        JOIN outbound_message m ON m.id = a.outbound_message_id
                        WHERE m.campaign_id = ? ORDER BY a.id DESC LIMIT ?""")
                .setParameter(1, campaignId).setParameter(2, streak).getResultList();
        return outcomes.size() == streak
                && outcomes.stream().allMatch(o -> o.equals("bounced") || o.equals("blocked") || o.equals("failed"));
    }

    /** One recipient's line in the delivery log. */
    record LogLine(long id, String recipient, String state, int attempts, Integer lastCode, String lastReply,
                   Instant sentAt, Instant nextAttemptAt) {
    }

    /** The delivery log, filtered by a part of the address and a state, in queue order. */
    List<LogLine> deliveryLog(long campaignId, String address, String state, int offset, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                        SELECT id, recipient, state, attempts, last_code, last_reply, sent_at, next_attempt_at
                        FROM outbound_message
                        WHERE campaign_id = :campaign
                          AND (:address IS NULL OR recipient LIKE CONCAT('%', :address, '%'))
                          AND (:state IS NULL OR state = :state)
                        ORDER BY id LIMIT :limit OFFSET :offset""")
                .setParameter("campaign", campaignId)
                .setParameter("address", address == null || address.isBlank() ? null
                        : address.strip().toLowerCase(java.util.Locale.ROOT)
                        .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"))
                .setParameter("state", state == null || state.isBlank() ? null : state)
                .setParameter("limit", limit).setParameter("offset", offset).getResultList();
        return rows.stream().map(r -> new LogLine(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                ((Number) r[3]).intValue(), r[4] == null ? null : ((Number) r[4]).intValue(), (String) r[5],
                instant(r[6]), instant(r[7]))).toList();
    }

    List<CampaignService.ListOption> options(String sql) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery(sql).getResultList();
        return rows.stream().map(r -> new CampaignService.ListOption(((Number) r[0]).longValue(), (String) r[1]))
                .toList();
    }

    Optional<String> adminTimeZone(String email) {
        @SuppressWarnings("unchecked")
        List<String> zones = getEntityManager().createNativeQuery("SELECT time_zone FROM admin_user WHERE email = ?")
                .setParameter(1, email).getResultList();
        return zones.stream().findFirst();
    }

    /** Campaigns whose ticker work is due: running ones. */
    List<Long> runningIds() {
        @SuppressWarnings("unchecked")
        List<Number> ids = getEntityManager().createNativeQuery(
                "SELECT id FROM campaign WHERE status = 'running' ORDER BY id").getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.toInstant(java.time.ZoneOffset.UTC);
        }
        if (value instanceof Instant i) {
            return i;
        }
        throw new IllegalArgumentException("not a time: " + value.getClass());
    }

    static Instant minute(Instant t) {
        return t.truncatedTo(ChronoUnit.MINUTES);
    }
}
