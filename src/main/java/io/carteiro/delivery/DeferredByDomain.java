package io.carteiro.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many of a campaign's messages wait for a retry at each recipient domain right now, for the campaign report
 * (final outcomes are counted as they happen; a deferral is a state, so it is read live). Reads only the campaign's
 * deferred rows through the (campaign_id, state, ...) index.
 */
@ApplicationScoped
public class DeferredByDomain {

    @Inject
    EntityManager em;

    /** Deferred messages by domain, most first. */
    @Transactional
    public Map<String, Long> of(long campaignId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select recipient_domain, count(*) from outbound_message
                        where campaign_id = :id and state = 'deferred'
                        group by recipient_domain order by count(*) desc, recipient_domain""")
                .setParameter("id", campaignId).getResultList();
        Map<String, Long> out = new LinkedHashMap<>();
        for (Object[] r : rows) {
            out.put((String) r[0], ((Number) r[1]).longValue());
        }
        return out;
    }
}
