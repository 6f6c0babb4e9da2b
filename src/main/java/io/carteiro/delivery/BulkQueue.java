package io.carteiro.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The delivery engine's intake for bulk sends, and the controls over them: one queue row per recipient chosen by a
 * set-based selection, then holding, releasing, cancelling and re-queueing the rows that share a campaign id. The
 * engine does not know what a campaign is; the id only groups the rows of one send. Each method is one statement in
 * the caller's transaction; the only code outside the engine's own that writes {@code outbound_message}.
 */
@ApplicationScoped
public class BulkQueue {

    private static final Pattern PARAMETER = Pattern.compile("[a-z][A-Za-z0-9]*");

    /**
     * The recipients of a bulk send as SQL, one row each: the expressions of the subscriber id, the list id, the
     * address and its (lower-case) domain, and the rest of a {@code SELECT} after its select list ({@code FROM …
     * WHERE … [GROUP BY …]}) with its named parameters. Parameter names must not start with {@code bq}, which this
     * queue uses for its own.
     */
    public record Selection(String subscriberId, String listId, String recipient, String recipientDomain,
                            String from, Map<String, Object> parameters) {
        public Selection {
            parameters = Map.copyOf(parameters);
            for (String name : parameters.keySet()) {
                if (!PARAMETER.matcher(name).matches() || name.startsWith("bq")) {
                    throw new IllegalArgumentException("parameter name '" + name + "' is not allowed");
                }
            }
        }
    }

    @Inject
    EntityManager em;

    /**
     * Queues one message per selected recipient for the campaign, in one {@code INSERT IGNORE … SELECT}: the
     * unique (campaign, subscriber) key makes a second run add nothing, so no recipient is queued twice.
     *
     * @param dueAt when the rows become due, or null to hold them until {@link #release}
     * @return rows inserted
     */
    public int enqueue(long campaignId, String sender, Selection recipients, Instant dueAt, Instant expiresAt,
                       Instant now) {
        Query q = em.createNativeQuery("INSERT IGNORE INTO outbound_message (campaign_id, subscriber_id, list_id,"
                        + " recipient, recipient_domain, sender, state, priority, next_attempt_at, expires_at, created_at)"
                        + " SELECT :bqCampaign, " + recipients.subscriberId() + ", " + recipients.listId() + ", "
                        + recipients.recipient() + ", " + recipients.recipientDomain()
                        + ", :bqSender, 'queued', 0, :bqDue, :bqExpires, :bqNow\n" + recipients.from())
                .setParameter("bqCampaign", campaignId)
                .setParameter("bqSender", sender)
                .setParameter("bqDue", dueAt == null ? null : Timestamp.from(dueAt))
                .setParameter("bqExpires", Timestamp.from(expiresAt))
                .setParameter("bqNow", Timestamp.from(now));
        recipients.parameters().forEach(q::setParameter);
        return q.executeUpdate();
    }

    /** Takes the campaign's unsent rows out of the engine's reach (next_attempt_at NULL is never due). */
    public int hold(long campaignId) {
        return em.createNativeQuery("""
                        UPDATE outbound_message SET next_attempt_at = NULL
                        WHERE campaign_id = ? AND state IN ('queued', 'deferred') AND next_attempt_at IS NOT NULL""")
                .setParameter(1, campaignId).executeUpdate();
    }

    /** Makes up to {@code limit} held rows due now, in id order, so a resume continues where the pause stopped. */
    public int release(long campaignId, long limit, Instant now) {
        if (limit <= 0) {
            return 0;
        }
        return em.createNativeQuery("""
                        UPDATE outbound_message SET next_attempt_at = ?
                        WHERE campaign_id = ? AND state IN ('queued', 'deferred') AND next_attempt_at IS NULL
                        ORDER BY id LIMIT ?""")
                .setParameter(1, Timestamp.from(now)).setParameter(2, campaignId)
                .setParameter(3, Math.min(limit, Integer.MAX_VALUE)).executeUpdate();
    }

    /** Cancels every row of the campaign not yet handed to an exchanger. */
    public int cancelUnsent(long campaignId) {
        return em.createNativeQuery("""
                        UPDATE outbound_message SET state = 'cancelled', next_attempt_at = NULL
                        WHERE campaign_id = ? AND state IN ('queued', 'deferred')""")
                .setParameter(1, campaignId).executeUpdate();
    }

    /**
     * Puts the campaign's failed rows (given up after their lifetime, or failed outright) back in the queue, due at
     * {@code dueAt} (or held when null).
     */
    public int requeueFailed(long campaignId, Instant dueAt, Instant expiresAt) {
        return em.createNativeQuery("""
                        UPDATE outbound_message SET state = 'queued', attempts = 0, next_attempt_at = ?, expires_at = ?,
                            lease_owner = NULL, lease_until = NULL
                        WHERE campaign_id = ? AND state = 'failed'""")
                .setParameter(1, dueAt == null ? null : Timestamp.from(dueAt))
                .setParameter(2, Timestamp.from(expiresAt)).setParameter(3, campaignId).executeUpdate();
    }
}
