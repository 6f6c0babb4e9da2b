package io.carteiro.engagement;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A subscriber's own clicks and opens (lists tracked per subscriber only; aggregate lists keep nobody's), the latest
 * first, each with its verdict and reason, for the subscriber's page and their data requests.
 */
@Path("/api/subscribers/{id}/engagement")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Subscribers")
public class SubscriberEngagementApi {

    static final int LATEST = 200;

    /** One hit: {@code kind} is "click" or "open"; {@code url} is null for opens and the decoy link. */
    public record HitView(long campaignId, String kind, String url, Instant at, boolean human, String reason) {
    }

    @Inject
    EntityManager em;

    @GET
    @Transactional
    @Operation(summary = "The subscriber's latest 200 clicks and opens, with whether a person or a machine made them")
    public List<HitView> hits(@PathParam("id") long id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select h.campaign_id, h.kind, l.url, h.at, h.human, h.reason from engagement_hit h
                        left join tracked_link l on l.campaign_id = h.campaign_id and l.link_no = h.link_no
                            and h.kind = 1
                        where h.subscriber_id = :id order by h.at desc, h.id desc limit :n""")
                .setParameter("id", id).setParameter("n", LATEST).getResultList();
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
