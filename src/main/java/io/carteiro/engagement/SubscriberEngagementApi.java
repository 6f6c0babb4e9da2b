package io.carteiro.engagement;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * A subscriber's own clicks and opens (lists tracked per subscriber only; aggregate lists keep nobody's), the latest
 * first, each with its verdict and reason, for the subscriber's page and their data requests.
 */
@Path("/api/subscribers/{id}/engagement")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Subscribers")
public class SubscriberEngagementApi {

    @Inject
    SubscriberHits hits;

    @GET
    @Operation(summary = "The subscriber's latest 200 clicks and opens, with whether a person or a machine made them")
    public List<SubscriberHits.HitView> hits(@PathParam("id") long id) {
        return hits.latest(id);
    }
}
