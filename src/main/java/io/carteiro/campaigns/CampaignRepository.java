package io.carteiro.campaigns;

import io.carteiro.delivery.BulkQueue;
import io.carteiro.subscribers.Recipients;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

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
 * each, made by the packages that own the tables: recipients chosen by {@code subscribers} ({@link Recipients}),
 * queued, held, released, cancelled and re-queued by the engine ({@link BulkQueue}); progress is read from the queue.
 */
@ApplicationScoped
class CampaignRepository implements PanacheRepository<Campaign> {

    @Inject
    Recipients recipients;

    @Inject
    BulkQueue queue;

    static final Pattern ATTRIBUTE_NAME = Recipients.ATTRIBUTE_NAME;

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

    /** The campaign's list the subscriber is on (the lowest), else its first list, else 0. */
    long listFor(long campaignId, long subscriberId) {
        List<Long> lists = listIds(campaignId);
        return recipients.firstListOf(subscriberId, lists).orElse(lists.isEmpty() ? 0L : lists.get(0));
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
     * Queues one message per eligible subscriber with an id in (afterId, throughId], in one statement: the
     * subscribers {@code subscribers} calls mailable on any target list ({@link Recipients#mailable}: confirmed,
     * active, let through by the suppression gate; each once, for the lowest such list id) that match the attribute
     * filter, handed to the engine's {@link BulkQueue#enqueue}. The unique (campaign, subscriber) key makes a second
     * run add nothing.
     *
     * @param dueAt when the rows become due, or null to hold them for the throttle's releases
     * @return rows inserted
     */
    int queueRecipients(Campaign campaign, String sender, long afterId, long throughId, Instant dueAt,
                        Instant expiresAt, Instant now) {
        Recipients.Selection chosen = recipients.mailable(listIds(campaign.id), afterId, throughId, campaign.filter());
        return queue.enqueue(campaign.id, sender, new BulkQueue.Selection(chosen.subscriberId(), chosen.listId(),
                chosen.email(), chosen.domain(), chosen.from(), chosen.parameters()), dueAt, expiresAt, now);
    }

    /** The highest subscriber id; queueing a campaign covers the subscribers up to it. */
    long maxSubscriberId() {
        return recipients.maxSubscriberId();
    }

    /**
     * The end of the next queueing range after {@code afterId}: the highest id such that no target list has more
     * than {@code size} confirmed subscriptions in between, or {@code lastId} when every list has fewer left.
     */
    long nextRangeEnd(long campaignId, long afterId, int size, long lastId) {
        return recipients.nextRangeEnd(listIds(campaignId), afterId, size, lastId);
    }

    /** Takes the campaign's unsent rows out of the engine's reach (next_attempt_at NULL is never due). */
    int hold(long campaignId) {
        return queue.hold(campaignId);
    }

    /** Makes up to {@code limit} held rows due now, in id order, so a resume continues where the pause stopped. */
    int release(long campaignId, long limit, Instant now) {
        return queue.release(campaignId, limit, now);
    }

    /** Cancels every row not yet handed to an exchanger. */
    int cancelUnsent(long campaignId) {
        return queue.cancelUnsent(campaignId);
    }

    /** Puts the failed rows (given up after their lifetime, or failed outright) back in the queue. */
    int requeueFailed(long campaignId, Instant dueAt, Instant expiresAt) {
        return queue.requeueFailed(campaignId, dueAt, expiresAt);
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

    /**
     * Adds {@code failures} to the campaign's count of Carteiro's own failures and, when the count reaches
     * {@code limit} while the campaign runs, pauses it with {@code reason} (which may name the count as {@code %d});
     * returns whether it paused. Runs in the caller's transaction.
     */
    boolean addOwnFailures(long campaignId, int failures, int limit, String reason, Instant now) {
        EntityManager em = getEntityManager();
        em.createNativeQuery("UPDATE campaign SET own_failures = own_failures + ? WHERE id = ?")
                .setParameter(1, failures).setParameter(2, campaignId).executeUpdate();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT own_failures, status FROM campaign WHERE id = ?")
                .setParameter(1, campaignId).getResultList();
        if (rows.isEmpty() || ((Number) rows.get(0)[0]).intValue() < limit
                || !CampaignStatus.running.name().equals(rows.get(0)[1])) {
            return false;
        }
        int count = ((Number) rows.get(0)[0]).intValue();
        em.createNativeQuery("UPDATE campaign SET status = ?, pause_reason = ?, updated_at = ? WHERE id = ?")
                .setParameter(1, CampaignStatus.paused.name()).setParameter(2, Campaign.clip(reason.formatted(count)))
                .setParameter(3, Timestamp.from(now)).setParameter(4, campaignId).executeUpdate();
        hold(campaignId);
        return true;
    }

    /** Starts the count of Carteiro's own failures again (at resume). */
    void resetOwnFailures(long campaignId) {
        getEntityManager().createNativeQuery("UPDATE campaign SET own_failures = 0 WHERE id = ?")
                .setParameter(1, campaignId).executeUpdate();
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

    /** How many campaigns are in one of these states. */
    long countIn(List<CampaignStatus> statuses) {
        return count("status in ?1", statuses);
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
