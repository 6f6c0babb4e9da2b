package io.carteiro.bounces;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Complaints (ARF feedback reports recorded against a message) counted for other features: the deliverability
 * desk's complaint rate and its complaint brake. Runs in the caller's transaction.
 */
@ApplicationScoped
public class ComplaintCounts {

    private final EntityManager em;

    ComplaintCounts(EntityManager em) {
        this.em = em;
    }

    /** Complaints received since {@code since}. */
    public long since(Instant since) {
        Number n = (Number) em.createNativeQuery(
                        "SELECT COUNT(*) FROM bounce WHERE kind = 'complaint' AND received_at >= ?")
                .setParameter(1, Timestamp.from(since)).getSingleResult();
        return n.longValue();
    }

    /** Complaints per campaign, for the campaigns given (those with none are left out). */
    public Map<Long, Long> byCampaign(Collection<Long> campaignIds) {
        Map<Long, Long> out = new HashMap<>();
        if (campaignIds.isEmpty()) {
            return out;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT campaign_id, COUNT(*) FROM bounce
                        WHERE kind = 'complaint' AND campaign_id IN (:ids) GROUP BY campaign_id""")
                .setParameter("ids", campaignIds).getResultList();
        for (Object[] r : rows) {
            out.put(((Number) r[0]).longValue(), ((Number) r[1]).longValue());
        }
        return out;
    }
}
