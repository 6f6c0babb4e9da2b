package io.carteiro.unsubscribe;

import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Locale;

/** The hosted sign-up form of a public list; its POST is served by {@link PublicPostRoutes}. */
@Path("/subscribe/{listId}")
public class SubscribePage {

    @Inject
    SubscribeService subscribe;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response show(@PathParam("listId") long listId, @HeaderParam("Accept-Language") String languages) {
        Locale locale = PageLanguage.fromHeader(languages);
        return subscribe.publicList(listId)
                .map(list -> Response.ok(form(list, Pages.FormState.EMPTY, locale)).build())
                .orElseGet(() -> {
                    PublicText t = Pages.texts(locale);
                    return Response.status(404).entity(Pages.notice(locale, t.noFormTitle(), t.noForm())).build();
                });
    }

    static TemplateInstance form(ListInfo list, Pages.FormState state, Locale locale) {
        return Pages.localized(Pages.Templates.subscribeForm(list, list.consentText(), state), locale);
    }
}
