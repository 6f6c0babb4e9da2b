package io.carteiro.engagement;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A subscriber's own clicks and opens, the latest first, each with its verdict and reason. Only lists tracked per
 * subscriber keep a subscriber id on a hit; on lists tracked in aggregate nothing names the person, so nothing shows
 * here. The API and the subscriber's page (which includes engagement/subscriberHits.html and reads this as
 * {@code inject:subscriberHits}) show the same.
 */
@ApplicationScoped
@Named("subscriberHits")
public class SubscriberHits {

    static final int LATEST = 200;

    /** One hit: {@code kind} is "click" or "open"; {@code url} is null for opens and the decoy link. */
    public record HitView(long campaignId, String kind, String url, Instant at, boolean human, String reason) {
    }

    @Inject
    EntityManager em;

    @Transactional
    public List<HitView> latest(long subscriberId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select h.campaign_id, h.kind, l.url, h.at, h.human, h.reason from engagement_hit h
                        left join tracked_link l on l.campaign_id = h.campaign_id and l.link_no = h.link_no
                            and h.kind = 1
                        where h.subscriber_id = :id order by h.at desc, h.id desc limit :n""")
                .setParameter("id", subscriberId).setParameter("n", LATEST).getResultList();
        return rows.stream().map(r -> new HitView(((Number) r[0]).longValue(),
                ((Number) r[1]).intValue() == HitClassifier.CLICK ? "click" : "open", (String) r[2], instant(r[3]),
                (Boolean) r[4], (String) r[5])).toList();
    }

    private static Instant instant(Object o) {
        if (o instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC);
        }
        return ((Timestamp) o).toInstant();
    }
}
