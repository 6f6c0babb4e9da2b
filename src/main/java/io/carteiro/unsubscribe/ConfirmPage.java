package io.carteiro.unsubscribe;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.util.Locale;

/**
 * The double opt-in link: GET only shows a button (mail scanners prefetch links), the POST confirms and records the
 * time and IP of the confirmation.
 */
@Path("/confirm/{token}")
public class ConfirmPage {

    @Inject
    SignedLinks links;

    @Inject
    SubscribeService subscribe;

    @Inject
    Clock clock;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response show(@PathParam("token") String token, @HeaderParam("Accept-Language") String languages) {
        Locale locale = PageLanguage.fromHeader(languages);
        LinkSigner.Checked checked = links.check(token, LinkToken.Purpose.CONFIRM);
        if (checked instanceof LinkSigner.Refused refused) {
            return Response.status(Pages.status(refused.reason())).entity(Pages.refused(refused.reason(), locale))
                    .build();
        }
        LinkToken t = ((LinkSigner.Valid) checked).token();
        return subscribe.pending(t.subscriberId(), t.listId())
                .map(p -> Response.ok(Pages.localized(Pages.Templates.confirm(p, token), locale)).build())
                .orElseGet(() -> Response.status(404).entity(Pages.unknown(locale)).build());
    }

    @POST
    @Produces(MediaType.TEXT_HTML)
    public Response confirm(@PathParam("token") String token, @HeaderParam("Accept-Language") String languages,
                            @Context HttpServerRequest request) {
        Locale locale = PageLanguage.fromHeader(languages);
        LinkSigner.Checked checked = links.check(token, LinkToken.Purpose.CONFIRM);
        if (checked instanceof LinkSigner.Refused refused) {
            return Response.status(Pages.status(refused.reason())).entity(Pages.refused(refused.reason(), locale))
                    .build();
        }
        LinkToken t = ((LinkSigner.Valid) checked).token();
        PublicText text = Pages.texts(locale);
        String listName = subscribe.pending(t.subscriberId(), t.listId()).map(p -> p.list().name()).orElse("");
        return switch (subscribe.confirm(t.subscriberId(), t.listId(), Pages.evidence(request, clock.instant()))) {
            case CONFIRMED -> Response.ok(Pages.notice(locale, text.confirmedTitle(), text.confirmed(listName)))
                    .build();
            case ALREADY_CONFIRMED -> Response.ok(Pages.notice(locale, text.confirmedTitle(),
                    text.alreadyConfirmed())).build();
            case NOT_FOUND -> Response.status(404).entity(Pages.unknown(locale)).build();
        };
    }
}
