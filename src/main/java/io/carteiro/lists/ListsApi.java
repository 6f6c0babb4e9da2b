package io.carteiro.lists;

import io.carteiro.web.ApiErrors;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** Mailing lists over the JSON API. */
@Path("/api/lists")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Lists")
public class ListsApi {

    /**
     * A list as the API shows it, with the current consent text and its version, and how its campaigns are tracked
     * ({@code tracking}: off, aggregate or subscriber; {@code openTracking}: whether opens are counted) and its
     * hygiene rule ({@code sunset}, changed with {@code PUT /api/lists/{id}/sunset}).
     */
    public record ListView(long id, String name, String description, OptIn optIn, String fromEmail, String fromName,
                           String replyTo, String consentText, Integer consentTextVersion, Tracking tracking,
                           boolean openTracking, boolean publicForm, Sunset sunset, Instant createdAt,
                           Instant updatedAt) {
    }

    @Inject
    ListService lists;

    @Inject
    SecurityIdentity identity;

    @GET
    @Operation(summary = "All lists, by name")
    public List<ListView> all() {
        return lists.all().stream().map(this::view).toList();
    }

    @POST
    @Operation(summary = "Create a list; 201 with its id")
    public Response create(@Valid @NotNull(message = "a JSON body with the list's name is required") ListDraft body) {
        MailingList list = lists.create(body, actor());
        return Response.created(URI.create("/api/lists/" + list.id)).entity(view(list)).build();
    }

    @GET
    @Path("/{id}")
    public Response one(@PathParam("id") long id) {
        return lists.find(id).map(list -> Response.ok(view(list)).build()).orElseGet(() -> notFound(id));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Change a list; a changed consent text becomes a new version")
    public Response update(@PathParam("id") long id,
                           @Valid @NotNull(message = "a JSON body with the list's name is required") ListDraft body) {
        return lists.update(id, body, actor()).map(list -> Response.ok(view(list)).build())
                .orElseGet(() -> notFound(id));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a list and its subscriptions; the consent log keeps a removal for each")
    public Response delete(@PathParam("id") long id) {
        return lists.delete(id, actor()) ? Response.noContent().build() : notFound(id);
    }

    private ListView view(MailingList list) {
        String text = lists.currentConsentText(list).map(t -> t.body).orElse(null);
        return new ListView(list.id, list.name, list.description, list.optIn, list.fromEmail, list.fromName,
                list.replyTo, text, list.consentTextVersion, list.tracking, list.openTracking, list.publicForm,
                list.sunset(), list.createdAt, list.updatedAt);
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static Response notFound(long id) {
        return ApiErrors.error(Response.Status.NOT_FOUND, "no list with id " + id);
    }
}
