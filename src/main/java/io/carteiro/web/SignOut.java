package io.carteiro.web;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;

/** Signs out by expiring the session cookie; a CSRF-protected POST, so a link elsewhere cannot sign anyone out. */
@Path("/admin/sign-out")
public class SignOut {

    @ConfigProperty(name = "quarkus.http.auth.form.cookie-name")
    String cookieName;

    @POST
    public Response signOut() {
        NewCookie expired = new NewCookie.Builder(cookieName).value("").path("/").maxAge(0).httpOnly(true).build();
        return Response.seeOther(URI.create("/login?signedOut=true")).cookie(expired).build();
    }
}
