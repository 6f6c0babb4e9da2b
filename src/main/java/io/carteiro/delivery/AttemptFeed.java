package io.carteiro.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The delivery attempt log read in id order, for features that follow what exchangers answer (the reputation
 * brakes count bounces and refusals per campaign and provider): it reads by primary key ranges, so following it
 * costs the engine nothing. Runs in the caller's transaction.
 */
@ApplicationScoped
public class AttemptFeed {

    /**
     * One attempt.
     *
     * @param outcome delivered, deferred, bounced, blocked, expired or failed
     */
    public record Attempt(long id, Long campaignId, String sender, String exchanger, Integer code,
                          String enhancedStatus, String outcome, Instant at) {
    }

    private final EntityManager em;

    AttemptFeed(EntityManager em) {
        this.em = em;
    }

    /** The highest attempt id so far (0 when none). */
    public long lastId() {
        Number n = (Number) em.createNativeQuery("SELECT COALESCE(MAX(id), 0) FROM delivery_attempt")
                .getSingleResult();
        return n.longValue();
    }

    /** Attempts with {@code afterId < id <= throughId}, in id order, at most {@code limit}. */
    public List<Attempt> between(long afterId, long throughId, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT a.id, m.campaign_id, m.sender, a.exchanger, a.code, a.enhanced_status, a.outcome,
                               a.attempted_at
                        FROM delivery_attempt a JOIN outbound_message m ON m.id = a.outbound_message_id
                        WHERE a.id > ? AND a.id <= ? ORDER BY a.id LIMIT ?""")
                .setParameter(1, afterId).setParameter(2, throughId).setParameter(3, limit).getResultList();
        List<Attempt> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            out.add(new Attempt(((Number) r[0]).longValue(), r[1] == null ? null : ((Number) r[1]).longValue(),
                    (String) r[2], (String) r[3], r[4] == null ? null : ((Number) r[4]).intValue(), (String) r[5],
                    (String) r[6], instant(r[7])));
        }
        return out;
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        return (Instant) value;
    }
}
