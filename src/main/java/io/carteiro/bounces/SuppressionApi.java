package io.carteiro.bounces;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Map;

/** JSON API of the suppression list: list, add and remove addresses and domains. */
@Path("/api/suppressions")
@Produces(MediaType.APPLICATION_JSON)
public class SuppressionApi {

    /** The body of a POST: kind (address or domain), value, reason (default manual), detail. */
    public record NewSuppression(String kind, String value, String reason, String detail) {
    }

    private final SuppressionList suppressions;

    SuppressionApi(SuppressionList suppressions) {
        this.suppressions = suppressions;
    }

    @GET
    public Response list(@QueryParam("q") String search, @QueryParam("limit") Integer limit) {
        return Response.ok(suppressions.list(search, limit == null ? 1000 : limit)).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(NewSuppression body) {
        if (body == null) {
            return Response.status(400).entity(Map.of("error", "a JSON body {kind, value, reason, detail} is required"))
                    .build();
        }
        try {
            var entry = suppressions.add(new SuppressionList.NewEntry(body.kind(), body.value(), body.reason(),
                    body.detail()));
            return Response.created(URI.create("/api/suppressions/" + entry.id())).entity(entry).build();
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(Map.of("error", e.getMessage())).build();
        }
    }

    @DELETE
    @Path("{id}")
    public Response remove(@PathParam("id") long id) {
        return suppressions.remove(id) ? Response.noContent().build()
                : Response.status(404).entity(Map.of("error", "no suppression entry with id " + id)).build();
    }
}
