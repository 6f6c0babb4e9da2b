package io.carteiro.unsubscribe;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/** The preference centre behind the signed link in every message. Its forms carry the CSRF token. */
@Path("/p/{token}")
public class PreferencesPage {

    @Inject
    SignedLinks links;

    @Inject
    PreferenceCentre centre;

    @Inject
    Clock clock;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response show(@PathParam("token") String token, @HeaderParam("Accept-Language") String languages) {
        return withSubscriber(token, languages, (id, locale) -> page(token, id, locale, null, null)).build();
    }

    @POST
    @Path("/lists")
    @Produces(MediaType.TEXT_HTML)
    public Response lists(@PathParam("token") String token, @HeaderParam("Accept-Language") String languages,
                          @FormParam("list") List<String> lists, @Context HttpServerRequest request) {
        return withSubscriber(token, languages, (id, locale) -> {
            Set<Long> wanted = new HashSet<>();
            for (String l : lists == null ? List.<String>of() : lists) {
                try {
                    wanted.add(Long.parseLong(l.strip()));
                } catch (NumberFormatException e) {
                    return Response.status(400).entity(Pages.notice(locale, Pages.texts(locale).badLinkTitle(),
                            "'" + l + "' is not a list id"));
                }
            }
            centre.choose(id, wanted, Pages.evidence(request, clock.instant()));
            return page(token, id, locale, Pages.texts(locale).saved(), null);
        }).build();
    }

    @POST
    @Path("/unsubscribe-all")
    @Produces(MediaType.TEXT_HTML)
    public Response leaveAll(@PathParam("token") String token, @HeaderParam("Accept-Language") String languages,
                             @Context HttpServerRequest request) {
        return withSubscriber(token, languages, (id, locale) -> {
            centre.leaveAll(id, Pages.evidence(request, clock.instant()));
            return page(token, id, locale, Pages.texts(locale).saved(), null);
        }).build();
    }

    @POST
    @Path("/tracking")
    @Produces(MediaType.TEXT_HTML)
    public Response tracking(@PathParam("token") String token, @HeaderParam("Accept-Language") String languages,
                             @FormParam("tracking") String tracking, @Context HttpServerRequest request) {
        return withSubscriber(token, languages, (id, locale) -> {
            // an unticked box sends nothing: no value means tracking refused
            centre.setTracking(id, "on".equals(tracking), Pages.evidence(request, clock.instant()));
            return page(token, id, locale, Pages.texts(locale).saved(), null);
        }).build();
    }

    @POST
    @Path("/name")
    @Produces(MediaType.TEXT_HTML)
    public Response rename(@PathParam("token") String token, @HeaderParam("Accept-Language") String languages,
                           @FormParam("name") String name, @Context HttpServerRequest request) {
        return withSubscriber(token, languages, (id, locale) -> {
            if (name != null && name.strip().length() > 200) {
                return page(token, id, locale, null, Pages.texts(locale).nameTooLong()).status(400);
            }
            centre.rename(id, name, Pages.evidence(request, clock.instant()));
            return page(token, id, locale, Pages.texts(locale).saved(), null);
        }).build();
    }

    @GET
    @Path("/data")
    @Produces(MediaType.APPLICATION_JSON)
    public Response data(@PathParam("token") String token) {
        LinkSigner.Checked checked = links.check(token, LinkToken.Purpose.PREFERENCES);
        if (checked instanceof LinkSigner.Refused refused) {
            return Response.status(Pages.status(refused.reason()))
                    .entity(Map.of("error", "the link is " + refused.reason().name().toLowerCase(Locale.ROOT)
                            .replace('_', ' '))).build();
        }
        return centre.export(((LinkSigner.Valid) checked).token().subscriberId())
                .map(data -> Response.ok(data).header("Content-Disposition", "attachment; filename=\"my-data.json\""))
                .orElseGet(() -> Response.status(404).entity(Map.of("error", "no such subscriber")))
                .build();
    }

    @POST
    @Path("/erase")
    @Produces(MediaType.TEXT_HTML)
    public Response erase(@PathParam("token") String token, @HeaderParam("Accept-Language") String languages,
                          @FormParam("confirm") String confirm, @Context HttpServerRequest request) {
        return withSubscriber(token, languages, (id, locale) -> {
            PublicText text = Pages.texts(locale);
            if (!"yes".equals(confirm)) {
                return page(token, id, locale, null, text.eraseNotConfirmed()).status(400);
            }
            centre.erase(id, Pages.evidence(request, clock.instant()));
            return Response.ok(Pages.notice(locale, text.erasedTitle(), text.erased()));
        }).build();
    }

    private Response.ResponseBuilder page(String token, long subscriberId, Locale locale, String flash, String error) {
        Optional<PreferenceCentre.Preferences> prefs = centre.show(subscriberId);
        if (prefs.isEmpty()) {
            return Response.status(404).entity(Pages.unknown(locale));
        }
        return Response.ok(Pages.localized(Pages.Templates.preferences(prefs.get(), token, flash, error), locale));
    }

    /** Runs {@code action} for the token's subscriber, or answers the page for a refused token. */
    private Response.ResponseBuilder withSubscriber(String token, String languages,
                                                   BiFunction<Long, Locale, Response.ResponseBuilder> action) {
        Locale locale = PageLanguage.fromHeader(languages);
        LinkSigner.Checked checked = links.check(token, LinkToken.Purpose.PREFERENCES);
        if (checked instanceof LinkSigner.Refused refused) {
            return Response.status(Pages.status(refused.reason())).entity(Pages.refused(refused.reason(), locale));
        }
        return action.apply(((LinkSigner.Valid) checked).token().subscriberId(), locale);
    }
}
