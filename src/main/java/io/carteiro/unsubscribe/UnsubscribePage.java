package io.carteiro.unsubscribe;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Locale;

/**
 * The unsubscribe link's page: one button, and no change on GET, since mail scanners open links. The POST (button
 * or RFC 8058 one-click) is served by {@link PublicPostRoutes}.
 */
@Path("/u/{token}")
public class UnsubscribePage {

    @Inject
    SignedLinks links;

    @Inject
    UnsubscribeService unsubscribes;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response show(@PathParam("token") String token, @HeaderParam("Accept-Language") String languages) {
        Locale locale = PageLanguage.fromHeader(languages);
        LinkSigner.Checked checked = links.check(token, LinkToken.Purpose.UNSUBSCRIBE);
        if (checked instanceof LinkSigner.Refused refused) {
            return Response.status(Pages.status(refused.reason())).entity(Pages.refused(refused.reason(), locale))
                    .build();
        }
        LinkToken t = ((LinkSigner.Valid) checked).token();
        return unsubscribes.leaving(t.subscriberId(), t.listId())
                .map(l -> Response.ok(Pages.localized(Pages.Templates.unsubscribe(l, token), locale)).build())
                .orElseGet(() -> Response.status(404).entity(Pages.unknown(locale)).build());
    }
}
