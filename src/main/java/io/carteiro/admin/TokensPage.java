package io.carteiro.admin;

import io.carteiro.web.Flash;
import io.carteiro.web.FormErrors;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * The account's API tokens in the admin: make one (the token is shown on the answer page, once), see when each was
 * last used, revoke one.
 */
@Path("/admin/tokens")
public class TokensPage {

    /** The form as typed, to show again with its errors. */
    record Draft(String name, List<String> scopes, String expires) {
        public boolean has(String scope) {
            return scopes != null && scopes.contains(scope);
        }
    }

    @CheckedTemplate(basePath = "admin")
    static class Templates {
        static native TemplateInstance tokens(List<ApiTokens.TokenView> tokens, ApiTokens.Issued issued, Draft draft,
                                              FormErrors errors, Flash flash, ZoneId zone);
    }

    @Inject
    ApiTokens tokens;

    @Inject
    TokenIssuer issuer;

    @Inject
    AdminAccounts accounts;

    @Inject
    SecurityIdentity identity;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list(@CookieParam(Flash.COOKIE) String flash) {
        return page(null, new Draft("", List.of("read"), ""), FormErrors.none(), Flash.read(flash));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response create(@FormParam("name") String name, @FormParam("scope") List<String> scopes,
                           @FormParam("expires") String expires) {
        Draft draft = new Draft(name, scopes, expires);
        Instant expiresAt = null;
        if (expires != null && !expires.isBlank()) {
            try {
                // the end of the chosen day where the admin lives
                expiresAt = LocalDate.parse(expires.strip()).plusDays(1).atStartOfDay(zone()).toInstant();
            } catch (DateTimeException e) {
                return invalid(draft, "expiresAt", "choose the day the token stops working");
            }
        }
        TokenIssuer.Outcome outcome = issuer.issue(identity, name, scopes, expiresAt);
        if (outcome instanceof TokenIssuer.Invalid invalid) {
            return invalid(draft, invalid.field(), invalid.message());
        }
        if (outcome instanceof TokenIssuer.Refused refused) {
            return invalid(draft, "scopes", refused.message());
        }
        // not a redirect: the token would have to travel in a cookie or the address to reach the next page
        return Response.status(Response.Status.CREATED).entity(page(((TokenIssuer.Issued) outcome).token(),
                new Draft("", List.of("read"), ""), FormErrors.none(), null)).build();
    }

    @POST
    @Path("/{id}/revoke")
    public Response revoke(@PathParam("id") long id) {
        return tokens.revoke(userId(), id) ? Flash.ok("Token revoked: it no longer works.").redirectTo("/admin/tokens")
                : Flash.error("That token no longer exists.").redirectTo("/admin/tokens");
    }

    private Response invalid(Draft draft, String field, String message) {
        return Response.status(Response.Status.BAD_REQUEST).entity(page(null, draft, FormErrors.of(field, message),
                null)).build();
    }

    private TemplateInstance page(ApiTokens.Issued issued, Draft draft, FormErrors errors, Flash flash) {
        return Templates.tokens(tokens.list(userId()), issued, draft, errors, flash, zone());
    }

    private ZoneId zone() {
        String zone = accounts.findByEmail(identity.getPrincipal().getName()).map(u -> u.timeZone).orElse("UTC");
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            return ZoneId.of("UTC");
        }
    }

    private long userId() {
        return identity.<Long>getAttribute(SessionIdentityProvider.USER_ID);
    }
}
