package io.carteiro.admin;

import io.carteiro.web.ClientAddress;
import io.carteiro.web.Flash;
import io.carteiro.web.FormErrors;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The signed-in admin's own account: how many sessions it has, and a new password, which ends every one of them
 * (this browser gets a fresh session, so only the others are signed out).
 */
@Path("/admin/account")
public class AccountPage {

    @CheckedTemplate(basePath = "admin")
    static class Templates {
        static native TemplateInstance account(String email, long sessions, FormErrors errors, Flash flash);
    }

    @Inject
    SecurityIdentity identity;

    @Inject
    AdminSessions sessions;

    @Inject
    AccountChanges changes;

    @Inject
    PasswordCheck passwords;

    @Inject
    AdminAccounts accounts;

    @Inject
    ClientAddress clientAddress;

    @Inject
    SessionCookies cookies;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance show(@CookieParam(Flash.COOKIE) String flash) {
        return page(FormErrors.none(), Flash.read(flash));
    }

    @POST
    @Path("/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response changePassword(@FormParam("current") String current, @FormParam("password") String password,
                                   @FormParam("repeat") String repeat, @Context HttpServerRequest request) {
        String address = clientAddress.address(request);
        PasswordCheck.Outcome check = passwords.check(identity.getPrincipal().getName(), current, address);
        if (check instanceof PasswordCheck.Throttled) {
            return invalid("current", "too many wrong passwords from your address: wait a few minutes");
        }
        if (!(check instanceof PasswordCheck.Verified verified)) {
            return invalid("current", "this is not your current password");
        }
        String problem = AccountChanges.problemWith(password);
        if (problem != null) {
            return invalid("password", problem);
        }
        if (!password.equals(repeat)) {
            return invalid("repeat", "the two new passwords differ");
        }
        int ended = changes.changePassword(verified.user().id, password);
        AdminUser user = accounts.findById(verified.user().id);
        AdminSessions.Opened fresh = sessions.open(user, address, request.getHeader("User-Agent"));
        String message = "Password changed. " + (ended <= 1 ? "No other session was open."
                : (ended - 1) + (ended == 2 ? " other session was" : " other sessions were") + " signed out.");
        return Response.fromResponse(Flash.ok(message).redirectTo("/admin/account"))
                .cookie(cookies.session(fresh.cookieToken(), request)).build();
    }

    private Response invalid(String field, String message) {
        return Response.status(Response.Status.BAD_REQUEST).entity(page(FormErrors.of(field, message), null)).build();
    }

    private TemplateInstance page(FormErrors errors, Flash flash) {
        long userId = identity.<Long>getAttribute(SessionIdentityProvider.USER_ID);
        return Templates.account(identity.getPrincipal().getName(), sessions.countActive(userId), errors, flash);
    }
}
