package io.carteiro.engagement;

import io.carteiro.lists.Sunset;
import io.carteiro.web.ApiErrors;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A list's sunset rule over the JSON API; the list JSON shows it too ({@code sunset}). */
@Path("/api/lists/{listId}/sunset")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Lists")
public class SunsetApi {

    /** The rule as written; missing months and grace days take their defaults, a missing {@code enabled} is off. */
    public record SunsetBody(Boolean enabled, Integer months, Integer graceDays, Long campaignId) {
        Sunset sunset() {
            return new Sunset(Boolean.TRUE.equals(enabled), months == null ? Sunset.DEFAULT_MONTHS : months,
                    graceDays == null ? Sunset.DEFAULT_GRACE_DAYS : graceDays, campaignId);
        }
    }

    @Inject
    SunsetSettings settings;

    @GET
    @Operation(summary = "The list's sunset rule")
    public Response get(@PathParam("listId") long listId) {
        return settings.of(listId).map(s -> Response.ok(s).build()).orElseGet(() -> noList(listId));
    }

    @PUT
    @Operation(summary = "Set the list's sunset rule: after `months` without a human click or open, the re-engagement "
            + "campaign `campaignId` once; after `graceDays` more without one, unsubscribed (consent event inactive)")
    public Response put(@PathParam("listId") long listId,
                        @NotNull(message = "a JSON body with the sunset rule is required") SunsetBody body) {
        SunsetSettings.Outcome outcome = settings.save(listId, body.sunset());
        if (outcome instanceof SunsetSettings.Saved saved) {
            return Response.ok(saved.sunset()).build();
        }
        if (outcome instanceof SunsetSettings.Refused refused) {
            return Response.status(422).type(MediaType.APPLICATION_JSON)
                    .entity(java.util.Map.of("error", refused.message(), "field", refused.field())).build();
        }
        return noList(listId);
    }

    private static Response noList(long listId) {
        return ApiErrors.error(Response.Status.NOT_FOUND, "no list with id " + listId);
    }
}
