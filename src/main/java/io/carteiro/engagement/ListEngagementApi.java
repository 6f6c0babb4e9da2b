package io.carteiro.engagement;

import io.carteiro.web.ApiErrors;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/** A list's engagement: its health, and the members of an engagement segment, a page at a time. */
@Path("/api/lists/{listId}/engagement")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Lists")
public class ListEngagementApi {

    static final int MAX_PAGE = 1000;

    @Inject
    EngagementSegments segments;

    @GET
    @Operation(summary = "How many of the list's subscribers (tracked per subscriber) are engaged, at risk or dormant")
    public Response health(@PathParam("listId") long listId) {
        return Response.ok(segments.health(listId)).build();
    }

    @GET
    @Path("/segments/{kind}")
    @Operation(summary = "Subscribers who clicked / opened / engaged as people in the last n days, or (inactive) "
            + "with no human engagement in the last n campaign messages; keyset paging with after=<last id>")
    public Response members(@PathParam("listId") long listId, @PathParam("kind") String kind,
                            @QueryParam("n") Integer n, @QueryParam("after") Long after,
                            @QueryParam("limit") Integer limit) {
        EngagementSegments.Kind k;
        try {
            k = EngagementSegments.Kind.parse(kind);
        } catch (IllegalArgumentException e) {
            return ApiErrors.badRequest("kind", e.getMessage());
        }
        if (n == null || n < 1 || n > 3650) {
            return ApiErrors.badRequest("n", "n (days, or campaigns for inactive) must be between 1 and 3650");
        }
        if (limit != null && (limit < 1 || limit > MAX_PAGE)) {
            return ApiErrors.badRequest("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        if (after != null && after < 0) {
            return ApiErrors.badRequest("after", "after must be the last subscriber id of the previous page");
        }
        List<Long> ids = segments.members(listId, k, n, after == null ? 0 : after, limit == null ? MAX_PAGE : limit);
        return Response.ok(Map.of("subscriberIds", ids)).build();
    }
}
