package io.carteiro.admin;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/**
 * Signs out: deletes every session of the account, so a cookie copied before (another browser, a saved request)
 * stops working too, then expires this browser's cookie. A CSRF-checked POST, so no other site can sign anyone out.
 */
@Path("/admin/sign-out")
public class SignOut {

    @Inject
    SecurityIdentity identity;

    @Inject
    AdminSessions sessions;

    @Inject
    SessionCookies cookies;

    @POST
    public Response signOut(@Context HttpServerRequest request) {
        Long userId = identity.getAttribute(SessionIdentityProvider.USER_ID);
        if (userId != null) {
            sessions.revokeAll(userId);
        }
        return Response.status(Response.Status.SEE_OTHER).header("Location", "/login?signedOut=true")
                .cookie(cookies.expired(request)).build();
    }
}
