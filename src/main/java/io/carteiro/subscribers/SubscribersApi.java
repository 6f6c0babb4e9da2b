package io.carteiro.subscribers;

import io.carteiro.subscribers.SubscriberService.Duplicate;
import io.carteiro.subscribers.SubscriberService.Edited;
import io.carteiro.subscribers.SubscriberService.EditOutcome;
import io.carteiro.subscribers.SubscriberService.Invalid;
import io.carteiro.subscribers.SubscriberService.NewSubscriber;
import io.carteiro.subscribers.SubscriberService.NotFound;
import io.carteiro.subscribers.SubscriberService.Suppressed;
import io.carteiro.subscribers.Views.ConsentEventView;
import io.carteiro.subscribers.Views.SubscriberPage;
import io.carteiro.web.ApiErrors;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Subscribers, their subscriptions and consent history over the JSON API. */
@Path("/api/subscribers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Subscribers")
public class SubscribersApi {

    /** A subscriber as sent to the API; {@code status} (global) is only read when editing. */
    public record SubscriberBody(
            @NotNull(message = "email is required") @Size(max = 320, message = "email is longer than 320 characters")
            String email,
            @Size(max = 200, message = "name is longer than 200 characters") String name,
            @Size(max = AttributeLimits.MAX_COUNT, message = "attributes holds more than 500 attributes") Map<String, Object> attributes,
            SubscriberStatus status,
            @Size(max = 20, message = "confirmation is send or confirmed") String confirmation,
            @Size(max = SubscriberService.OptInChoice.MAX_EVIDENCE,
                    message = "confirmedEvidence is longer than 500 characters") String confirmedEvidence) {
    }

    /** A new status for one subscription. */
    public record SubscriptionBody(@NotNull(message = "status is required") SubscriptionStatus status) {
    }

    @Inject
    SubscriberService subscribers;

    @Inject
    SubscriberSearch search;

    @Inject
    SubscribersConfig config;

    @Inject
    SecurityIdentity identity;

    @Context
    HttpServerRequest request;

    @GET
    @Operation(summary = "Search subscribers: exact email, e-mail prefix q, name prefix, status, list, attr=key:value; "
            + "keyset paging with after=<last id> (the next cursor is in the Link and X-Next-After headers)")
    public Response find(@QueryParam("email") String email, @QueryParam("q") String prefix,
                         @QueryParam("name") String name, @QueryParam("status") String status,
                         @QueryParam("listId") Long listId, @QueryParam("attr") String attr,
                         @QueryParam("after") Long after, @QueryParam("limit") Integer limit, @Context UriInfo uri) {
        SubscriberStatus wanted;
        String[] attribute;
        try {
            wanted = status == null || status.isBlank() ? null : SubscriberStatus.parse(status);
        } catch (IllegalArgumentException e) {
            return ApiErrors.badRequest("status", e.getMessage());
        }
        try {
            attribute = SubscriberQuery.parseAttributeFilter(attr);
        } catch (IllegalArgumentException e) {
            return ApiErrors.badRequest("attr", e.getMessage());
        }
        if (limit != null && (limit < 1 || limit > config.maxPageSize())) {
            return ApiErrors.badRequest("limit", "limit must be between 1 and " + config.maxPageSize());
        }
        if (after != null && after < 0) {
            return ApiErrors.badRequest("after", "after must be the id of the last subscriber of the previous page");
        }
        SubscriberPage page = search.search(new SubscriberQuery(email, prefix, name, wanted, listId,
                attribute == null ? null : attribute[0], attribute == null ? null : attribute[1],
                after == null ? 0 : after, limit == null ? 0 : limit));
        Response.ResponseBuilder response = Response.ok(page.items());
        if (page.nextAfter() != null) {
            URI next = uri.getRequestUriBuilder().replaceQueryParam("after", page.nextAfter()).build();
            response.header("X-Next-After", page.nextAfter()).link(next, "next");
        }
        return response.build();
    }

    @GET
    @Path("/{id}")
    public Response one(@PathParam("id") long id) {
        return subscribers.find(id).map(view -> Response.ok(view).build()).orElseGet(() -> notFound(id));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Change address, name, attributes and (optionally) the global status")
    public Response edit(@PathParam("id") long id,
                         @Valid @NotNull(message = "a JSON body with an email is required") SubscriberBody body) {
        EditOutcome outcome = subscribers.edit(id, new NewSubscriber(body.email(), body.name(), body.attributes()));
        if (outcome instanceof Edited) {
            if (body.status() != null) {
                subscribers.changeStatus(id, body.status(), evidence());
            }
            return Response.ok(subscribers.find(id).orElseThrow()).build();
        }
        if (outcome instanceof NotFound) {
            return notFound(id);
        }
        if (outcome instanceof Duplicate duplicate) {
            return Response.status(Response.Status.CONFLICT).entity(Map.of(
                    "error", "another subscriber already has the address " + body.email().strip(),
                    "field", "email", "id", duplicate.otherSubscriberId())).build();
        }
        return refusal(outcome);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a subscriber; the consent log keeps the removals (use erase to wipe everything)")
    public Response delete(@PathParam("id") long id) {
        return subscribers.delete(id, evidence()) ? Response.noContent().build() : notFound(id);
    }

    @PUT
    @Path("/{id}/subscriptions/{listId}")
    @Operation(summary = "Change the status of one subscription (appends to the consent log)")
    public Response changeSubscription(@PathParam("id") long id, @PathParam("listId") long listId,
                                       @Valid @NotNull(message = "a JSON body with a status is required")
                                       SubscriptionBody body) {
        SubscriberService.Change change = subscribers.changeSubscription(id, listId, body.status(), evidence());
        if (change == SubscriberService.Change.NOT_FOUND) {
            return ApiErrors.error(Response.Status.NOT_FOUND, "subscriber " + id + " is not on list " + listId);
        }
        return Response.ok(subscribers.find(id).orElseThrow()).build();
    }

    @DELETE
    @Path("/{id}/subscriptions/{listId}")
    @Operation(summary = "Take a subscriber off one list (appends a removal to the consent log)")
    public Response removeFromList(@PathParam("id") long id, @PathParam("listId") long listId) {
        return subscribers.removeFromList(id, listId, evidence()) ? Response.noContent().build()
                : ApiErrors.error(Response.Status.NOT_FOUND, "subscriber " + id + " is not on list " + listId);
    }

    @GET
    @Path("/{id}/events")
    @Operation(summary = "The consent history, oldest first")
    public Response events(@PathParam("id") long id) {
        List<ConsentEventView> history = subscribers.history(id);
        if (history.isEmpty() && subscribers.find(id).isEmpty()) {
            return notFound(id);
        }
        return Response.ok(history).build();
    }

    @GET
    @Path("/{id}/export")
    @Operation(summary = "Everything held about the subscriber as one JSON document (GDPR access / portability)")
    public Response export(@PathParam("id") long id) {
        return subscribers.export(id)
                .map(export -> Response.ok(export)
                        .header("Content-Disposition", "attachment; filename=\"subscriber-" + id + ".json\"").build())
                .orElseGet(() -> notFound(id));
    }

    @POST
    @Path("/{id}/erase")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Erase the subscriber (GDPR Art. 17): only a salted hash stays, blocking re-adding")
    public Response erase(@PathParam("id") long id) {
        return subscribers.erase(id) ? Response.noContent().build() : notFound(id);
    }

    private ConsentEvidence evidence() {
        return RequestEvidence.of(ConsentSource.API, identity, request);
    }

    /** 400 for invalid input naming the field; 422 for a suppressed or erased address. */
    @POST
    @io.carteiro.web.SendsMail
    @Path("/{id}/subscriptions/{listId}/confirmation")
    @Operation(summary = "Send the double opt-in confirmation mail of an unconfirmed subscription again: 202; 409 when"
            + " it is not unconfirmed; 429 when one went to this mailbox within the interval")
    public Response resendConfirmation(@PathParam("id") long id, @PathParam("listId") long listId) {
        Optional<ConfirmationMail.Sent> sent = subscribers.resendConfirmation(id, listId, java.util.Locale.ENGLISH);
        if (sent.isEmpty()) {
            return ApiErrors.error(Response.Status.NOT_FOUND, "subscriber " + id + " is not on list " + listId);
        }
        return switch (sent.get()) {
            case SENT -> Response.accepted(Map.of("sent", true)).build();
            case TOO_SOON -> ApiErrors.error(Response.Status.TOO_MANY_REQUESTS,
                    "a confirmation mail went to this mailbox within the interval; try again later");
            case NOT_UNCONFIRMED -> ApiErrors.error(Response.Status.CONFLICT,
                    "the subscription is not unconfirmed, or the subscriber may not be mailed");
            case NO_SENDER -> ApiErrors.error(Response.Status.CONFLICT, "the list has no From address that is a"
                    + " public address (fromEmail), and carteiro.subscribe.default-from is none either; set the"
                    + " list's fromEmail, then ask again");
        };
    }

    static Response refusal(Object outcome) {
        if (outcome instanceof Invalid invalid) {
            return ApiErrors.badRequest(invalid.field(), invalid.reason());
        }
        Suppressed suppressed = (Suppressed) outcome;
        return Response.status(422).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", suppressed.reason(), "field", "email")).build();
    }

    private static Response notFound(long id) {
        return ApiErrors.error(Response.Status.NOT_FOUND, "no subscriber with id " + id);
    }
}
