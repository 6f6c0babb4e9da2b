package io.carteiro.subscribers;

import io.carteiro.subscribers.SubscriberService.AddOutcome;
import io.carteiro.subscribers.SubscriberService.Added;
import io.carteiro.subscribers.SubscriberService.AlreadyOnList;
import io.carteiro.subscribers.SubscriberService.NewSubscriber;
import io.carteiro.subscribers.SubscriberService.NoSuchList;
import io.carteiro.web.ApiErrors;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.Map;

/**
 * The subscribers of one list over the JSON API. A root resource of its own: JAX-RS picks the root class with the
 * longest literal path and never falls back, so these routes cannot live in a class rooted at {@code /api}.
 */
@Path("/api/lists/{listId}/subscribers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Subscribers")
public class ListSubscribersApi {

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    @Inject
    SubscriberService subscribers;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @Inject
    SecurityIdentity identity;

    @Context
    HttpServerRequest request;

    @POST
    @Operation(summary = "Add a subscriber to a list; 201, or 409 when already on it")
    public Response add(@PathParam("listId") long listId,
                        @Valid @NotNull(message = "a JSON body with an email is required")
                        SubscribersApi.SubscriberBody body) {
        SubscriberService.OptInChoice choice = SubscriberService.OptInChoice.parse(body.confirmation(),
                body.confirmedEvidence());
        if (choice == null) {
            return ApiErrors.badRequest("confirmation", "is send or confirmed");
        }
        AddOutcome outcome = subscribers.add(listId, new NewSubscriber(body.email(), body.name(), body.attributes()),
                RequestEvidence.of(ConsentSource.API, identity, request), choice, java.util.Locale.ENGLISH);
        if (outcome instanceof Added added) {
            Map<String, Object> entity = new java.util.LinkedHashMap<>(json.convertValue(
                    subscribers.find(added.subscriberId()).orElseThrow(), MAP));
            if (added.confirmation() != null) {
                entity.put("confirmationMail", added.confirmation().name().toLowerCase(java.util.Locale.ROOT));
            }
            return Response.created(URI.create("/api/subscribers/" + added.subscriberId())).entity(entity).build();
        }
        if (outcome instanceof AlreadyOnList already) {
            return Response.status(Response.Status.CONFLICT).entity(Map.of(
                    "error", body.email().strip() + " is already on list " + listId, "id", already.subscriberId()))
                    .build();
        }
        if (outcome instanceof NoSuchList) {
            return ApiErrors.error(Response.Status.NOT_FOUND, "no list with id " + listId);
        }
        return SubscribersApi.refusal(outcome);
    }
}
