package io.carteiro.bounces;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many bounces and complaints each campaign drew, by kind, for the campaign report: synchronous rejections and
 * later DSNs and ARF reports alike. Answered from the index on (campaign_id, kind), never from the bounce rows.
 */
@ApplicationScoped
public class CampaignBounceCounts {

    /** A campaign's bounces by kind. */
    public record Counts(long hard, long soft, long complaints, long blocked) {
        public static final Counts NONE = new Counts(0, 0, 0, 0);

        /** Hard and soft bounces: the messages that did not reach their recipient for the recipient's reasons. */
        public long bounced() {
            return hard + soft;
        }
    }

    @Inject
    EntityManager em;

    @Transactional
    public Map<Long, Counts> of(Collection<Long> campaignIds) {
        Map<Long, long[]> counts = new HashMap<>();
        if (!campaignIds.isEmpty()) {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                            select campaign_id, kind, count(*) from bounce where campaign_id in (:ids)
                            group by campaign_id, kind""")
                    .setParameter("ids", campaignIds).getResultList();
            for (Object[] r : rows) {
                long[] c = counts.computeIfAbsent(((Number) r[0]).longValue(), k -> new long[4]);
                long n = ((Number) r[2]).longValue();
                switch (BounceKind.fromCode((String) r[1])) {
                    case HARD -> c[0] += n;
                    case SOFT -> c[1] += n;
                    case COMPLAINT -> c[2] += n;
                    case BLOCKED -> c[3] += n;
                    default -> {
                        // auto-replies and unknowns are not recorded as bounces
                    }
                }
            }
        }
        Map<Long, Counts> out = new HashMap<>();
        for (Long id : campaignIds) {
            long[] c = counts.get(id);
            out.put(id, c == null ? Counts.NONE : new Counts(c[0], c[1], c[2], c[3]));
        }
        return out;
    }
}
