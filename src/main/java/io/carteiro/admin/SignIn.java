package io.carteiro.admin;

import io.carteiro.web.ClientAddress;
import io.carteiro.web.CrossSite;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The sign-in form's POST: checks the password ({@link PasswordCheck}), opens a session row and hands the browser
 * its cookie. Redirects are relative, so no Host header a client sends ends up in them.
 */
@Path("/j_security_check")
public class SignIn {

    @Inject
    PasswordCheck passwords;

    @Inject
    AdminSessions sessions;

    @Inject
    ClientAddress clientAddress;

    @Inject
    SessionCookies cookies;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("j_username") String email, @FormParam("j_password") String password,
                           @Context HttpServerRequest request) {
        if (CrossSite.isCrossSite(request)) {
            // another site's page posting our sign-in form would sign the visitor into the attacker's account
            return Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN)
                    .entity("Sign-in refused: the form was sent from another site.\n").build();
        }
        String address = clientAddress.address(request);
        PasswordCheck.Outcome outcome = passwords.check(email, password, address);
        if (outcome instanceof PasswordCheck.Verified ok) {
            AdminSessions.Opened session = sessions.open(ok.user(), address, request.getHeader("User-Agent"));
            return Response.status(Response.Status.FOUND).header("Location", "/admin")
                    .cookie(cookies.session(session.cookieToken(), request)).build();
        }
        if (outcome instanceof PasswordCheck.Throttled throttled) {
            long minutes = Math.max(1, (throttled.retryAfter().toSeconds() + 59) / 60);
            return Response.status(Response.Status.FOUND)
                    .header("Location", "/login?error=throttled&wait=" + minutes).build();
        }
        return Response.status(Response.Status.FOUND).header("Location", "/login?error=true").build();
    }
}
