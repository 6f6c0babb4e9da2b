package io.carteiro.engagement;

import io.carteiro.web.ApiErrors;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

/**
 * A campaign's UTM parameters over the API; {@link UtmPage} takes the form on the campaign page.
 */
@Path("/api/campaigns/{id}/utm")
public class UtmApi {

    /** The settings as written: {@code enabled} (default off) and utm_source / utm_medium / utm_campaign. */
    public record UtmBody(Boolean enabled,
                          @Size(max = Utm.MAX, message = "source is longer than 100 characters") String source,
                          @Size(max = Utm.MAX, message = "medium is longer than 100 characters") String medium,
                          @Size(max = Utm.MAX, message = "campaign is longer than 100 characters") String campaign) {
    }

    @Inject
    UtmSettings settings;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Tag(name = "Campaigns")
    @Operation(summary = "The campaign's UTM parameters and whether they are added to its tracked links' targets")
    public Response get(@PathParam("id") long id) {
        return settings.of(id).map(v -> Response.ok(v).build())
                .orElseGet(() -> ApiErrors.error(Response.Status.NOT_FOUND, "no campaign with id " + id));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Tag(name = "Campaigns")
    @Operation(summary = "Set a draft campaign's UTM parameters; when enabled they are appended to the targets of its "
            + "tracked links, never replacing a parameter a link already has")
    public Response put(@PathParam("id") long id,
                        @Valid @NotNull(message = "a JSON body with the UTM parameters is required") UtmBody body) {
        UtmSettings.Outcome outcome = settings.save(id, Boolean.TRUE.equals(body.enabled()), body.source(),
                body.medium(), body.campaign());
        if (outcome instanceof UtmSettings.Saved saved) {
            return Response.ok(saved.view()).build();
        }
        if (outcome instanceof UtmSettings.Refused refused) {
            return Response.status(refused.status()).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", refused.message(), "field", refused.field())).build();
        }
        return ApiErrors.error(Response.Status.NOT_FOUND, "no campaign with id " + id);
    }
}
