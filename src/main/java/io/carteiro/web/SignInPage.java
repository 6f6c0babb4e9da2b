package io.carteiro.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The sign-in page; the form posts to Quarkus' form authentication at {@code /j_security_check}. */
@Path("/login")
public class SignInPage {

    @CheckedTemplate(basePath = "web")
    static class Templates {
        static native TemplateInstance signIn(boolean error, boolean signedOut);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance show(@QueryParam("error") String error, @QueryParam("signedOut") String signedOut) {
        return Templates.signIn(error != null, signedOut != null);
    }
}
