package io.carteiro.admin;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The sign-in page; its form posts to {@link SignIn}. */
@Path("/login")
public class SignInPage {

    /** Why the page is shown again: nothing, a refused password, a throttled address, or a sign-out. */
    record Notice(boolean refused, boolean throttled, long waitMinutes, boolean signedOut) {
    }

    @CheckedTemplate(basePath = "admin")
    static class Templates {
        static native TemplateInstance signIn(Notice notice);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance show(@QueryParam("error") String error, @QueryParam("wait") Long waitMinutes,
                                 @QueryParam("signedOut") String signedOut) {
        boolean throttled = "throttled".equals(error);
        long minutes = waitMinutes == null ? 1 : Math.max(1, Math.min(waitMinutes, 60));
        return Templates.signIn(new Notice(error != null && !throttled, throttled, minutes, signedOut != null));
    }
}
