package io.carteiro.segments;

import com.fasterxml.jackson.databind.JsonNode;
import io.carteiro.web.ApiErrors;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** Saved segments over the JSON API: create one, read it, count its members now, delete it. */
@Path("/api/segments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Segments")
public class SegmentsApi {

    /**
     * A segment as written: its name and its conditions, each {@code {"type": "clicked"|"opened"|"engaged", "listId",
     * "days"}} or {@code {"type": "inactive", "listId", "campaigns"}}, all of which must hold.
     */
    public record SegmentBody(
            @Size(max = SegmentService.MAX_NAME, message = "name is longer than 200 characters") String name,
            @Schema(type = SchemaType.ARRAY, maxItems = SegmentConditions.MAX_CONDITIONS,
                    description = "the conditions, all of which hold") JsonNode conditions) {
    }

    @Inject
    SegmentService segments;

    @Inject
    SecurityIdentity identity;

    @POST
    @Operation(summary = "Save a segment {\"name\", \"conditions\": [{\"type\": \"clicked\"|\"opened\"|\"engaged\", "
            + "\"listId\", \"days\"} | {\"type\": \"inactive\", \"listId\", \"campaigns\"}]}, all of which hold; "
            + "people's engagement only; 201 with its id")
    public Response create(@Valid @NotNull(message = "a JSON body with the segment's name and conditions is required")
                           SegmentBody body) {
        SegmentService.Created created = segments.create(body.name(), body.conditions(),
                identity.getPrincipal().getName());
        if (created instanceof SegmentService.Saved saved) {
            return Response.created(URI.create("/api/segments/" + saved.id())).entity(Map.of("id", saved.id()))
                    .build();
        }
        SegmentService.Refused refused = (SegmentService.Refused) created;
        return Response.status(refused.status()).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", refused.message(), "field", refused.field())).build();
    }

    @GET
    @Operation(summary = "All segments, by name")
    public List<SegmentService.View> all() {
        return segments.all();
    }

    @GET
    @Path("/{id}")
    public Response one(@PathParam("id") long id) {
        return segments.find(id).map(v -> Response.ok(v).build()).orElseGet(() -> notFound(id));
    }

    @GET
    @Path("/{id}/count")
    @Operation(summary = "How many subscribers the segment holds now")
    public Response count(@PathParam("id") long id) {
        return segments.count(id).map(n -> Response.ok(Map.of("count", n)).build()).orElseGet(() -> notFound(id));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") long id) {
        return segments.delete(id) ? Response.noContent().build() : notFound(id);
    }

    private static Response notFound(long id) {
        return ApiErrors.error(Response.Status.NOT_FOUND, "no segment with id " + id);
    }
}
