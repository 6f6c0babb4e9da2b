package io.carteiro.admin;

import io.carteiro.web.ApiErrors;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
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

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The signed-in account's API tokens: make one (shown once), list them, revoke one. */
@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TokensApi {

    /** A new token: its name, scopes (read, write, send) and, optionally, when it expires (ISO-8601 instant). */
    public record NewToken(@Size(max = TokenIssuer.MAX_NAME, message = "name is longer than 100 characters")
                           String name,
                           @Size(max = 3, message = "scopes has more than the three scopes read, write, send")
                           List<@Size(max = 5, message = "a scope is read, write or send") String> scopes,
                           @Size(max = 40, message = "expiresAt is not an ISO-8601 instant") String expiresAt) {
    }

    @Inject
    TokenIssuer issuer;

    @Inject
    ApiTokens tokens;

    @Inject
    SecurityIdentity identity;

    @POST
    @Operation(summary = "Make a token; 201 with its id and the token itself, which is never shown again")
    public Response create(@Valid NewToken body) {
        if (body == null) {
            return ApiErrors.badRequest(null, "a JSON body with name and scopes is required");
        }
        Instant expiresAt = null;
        if (body.expiresAt() != null && !body.expiresAt().isBlank()) {
            try {
                expiresAt = Instant.parse(body.expiresAt().strip());
            } catch (DateTimeParseException e) {
                return ApiErrors.badRequest("expiresAt", "expiresAt '" + body.expiresAt()
                        + "' is not an ISO-8601 instant such as 2027-01-31T00:00:00Z");
            }
        }
        TokenIssuer.Outcome outcome = issuer.issue(identity, body.name(), body.scopes(), expiresAt);
        if (outcome instanceof TokenIssuer.Invalid invalid) {
            return ApiErrors.badRequest(invalid.field(), invalid.message());
        }
        if (outcome instanceof TokenIssuer.Refused refused) {
            return ApiErrors.error(Response.Status.FORBIDDEN, refused.message());
        }
        ApiTokens.Issued issued = ((TokenIssuer.Issued) outcome).token();
        Map<String, Object> entity = new LinkedHashMap<>();
        entity.put("id", issued.id());
        entity.put("token", issued.token());
        entity.put("name", issued.view().name());
        entity.put("prefix", issued.view().prefix());
        entity.put("scopes", issued.view().scopes());
        entity.put("createdAt", issued.view().createdAt());
        entity.put("expiresAt", issued.view().expiresAt());
        return Response.created(URI.create("/api/tokens/" + issued.id())).entity(entity).build();
    }

    @GET
    @Operation(summary = "The account's tokens (never the tokens themselves), with when each was last used")
    public List<ApiTokens.TokenView> list() {
        return tokens.list(userId());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a token at once; 204, or 404 when the account has no such token")
    public Response revoke(@PathParam("id") long id) {
        return tokens.revoke(userId(), id) ? Response.noContent().build()
                : ApiErrors.error(Response.Status.NOT_FOUND, "no token with id " + id);
    }

    private long userId() {
        return identity.<Long>getAttribute(SessionIdentityProvider.USER_ID);
    }
}
