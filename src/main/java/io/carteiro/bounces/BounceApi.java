package io.carteiro.bounces;

import io.carteiro.subscribers.EmailAddress;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.Map;

/** JSON API of recorded bounces: a subscriber's bounce history by e-mail address. */
@Path("/api/bounces")
@Produces(MediaType.APPLICATION_JSON)
public class BounceApi {

    /** One bounce in the API's shape. */
    public record BounceJson(String kind, String source, Integer statusCode, String enhancedStatus,
                             String diagnostic, Instant receivedAt, Long campaignId) {
    }

    private final BounceQueries queries;

    BounceApi(BounceQueries queries) {
        this.queries = queries;
    }

    @GET
    public Response list(@QueryParam("email") String email, @QueryParam("limit") Integer limit) {
        if (email == null || email.isBlank()) {
            return Response.status(400).entity(Map.of("error", "query parameter 'email' is required")).build();
        }
        EmailAddress.Parsed parsed = EmailAddress.parse(email);
        if (parsed instanceof EmailAddress.Invalid invalid) {
            return Response.status(400).entity(Map.of("error", "email: " + invalid.reason())).build();
        }
        String key = ((EmailAddress.Valid) parsed).address().key();
        var bounces = queries.search(new BounceQueries.Filter(null, null, null, key), limit == null ? 200 : limit)
                .stream().map(b -> new BounceJson(b.kind(), b.source(), b.statusCode(), b.enhancedStatus(),
                        b.diagnostic(), b.receivedAt(), b.campaignId())).toList();
        return Response.ok(bounces).build();
    }
}
