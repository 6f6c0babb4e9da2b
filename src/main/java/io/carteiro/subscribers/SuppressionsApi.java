package io.carteiro.subscribers;

import io.carteiro.web.ApiErrors;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

/** The suppression list over the JSON API: addresses and domains never to be mailed or added again. */
@Path("/api/suppressions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Suppressions")
public class SuppressionsApi {

    /** A new entry; kind {@code address} or {@code domain} (erased entries come only from erasure). */
    public record NewSuppression(@NotNull(message = "kind is required") SuppressionKind kind,
                                 @NotNull(message = "value is required")
                                 @Size(max = 320, message = "value is longer than 320 characters") String value,
                                 SuppressionReason reason,
                                 @Size(max = 1000, message = "detail is longer than 1000 characters") String detail) {
    }

    @Inject
    Suppressions suppressions;

    @GET
    @Operation(summary = "Entries in id order, a keyset page at a time (after=<last id>)")
    public List<Suppressions.Entry> list(@QueryParam("after") Long after, @QueryParam("limit") Integer limit) {
        return suppressions.list(after == null ? 0 : after, limit == null ? 100 : limit);
    }

    @POST
    @Operation(summary = "Suppress an address or a domain (and its subdomains); repeating it changes nothing")
    public Response add(@Valid @NotNull(message = "a JSON body with kind and value is required") NewSuppression body) {
        if (body.kind() == SuppressionKind.ERASED) {
            return ApiErrors.badRequest("kind", "erased entries are made by erasing a subscriber");
        }
        try {
            Suppressions.Entry entry = suppressions.add(body.kind(), body.value(),
                    body.reason() == null ? SuppressionReason.MANUAL : body.reason(), body.detail());
            return Response.created(URI.create("/api/suppressions/" + entry.id())).entity(entry).build();
        } catch (IllegalArgumentException e) {
            return ApiErrors.badRequest("value", e.getMessage());
        }
    }

    @DELETE
    @Path("/{id}")
    public Response remove(@PathParam("id") long id) {
        return suppressions.remove(id) ? Response.noContent().build()
                : ApiErrors.error(Response.Status.NOT_FOUND, "no suppression with id " + id);
    }
}
