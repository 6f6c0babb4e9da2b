package io.carteiro.unsubscribe;

import io.carteiro.subscribers.SubscriberName;
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

/**
 * The preference centre behind the signed link in every message. Its forms carry the CSRF token. Lists and name
 * change at once; data download and erasure are mailed to the subscriber's address first ({@link DataRequests}).
 */
@Path("/p/{token}")
public class PreferencesPage {

    @Inject
    SignedLinks links;

    @Inject
    PreferenceCentre centre;

    @Inject
    DataRequests requests;

    @Inject
    LinksConfig linksConfig;

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
            SubscriberName.Checked checked = SubscriberName.check(name);
            if (checked instanceof SubscriberName.Invalid invalid) {
                PublicText text = Pages.texts(locale);
                return page(token, id, locale, null, invalid.problem() == SubscriberName.Problem.TOO_LONG
                        ? text.nameTooLong() : text.nameInvalid()).status(400);
            }
            centre.rename(id, ((SubscriberName.Valid) checked).name().orElse(null),
                    Pages.evidence(request, clock.instant()));
            return page(token, id, locale, Pages.texts(locale).saved(), null);
        }).build();
    }

    /** Asks for the data: a download link goes to the subscriber's address (see {@link DataRequests}). */
    @POST
    @Path("/data")
    @Produces(MediaType.TEXT_HTML)
    public Response requestData(@PathParam("token") String token, @HeaderParam("Accept-Language") String languages,
                                @Context HttpServerRequest request) {
        return withSubscriber(token, languages, (id, locale) -> mailed(token, id, locale, DataRequests.Kind.DOWNLOAD,
                requests.request(id, DataRequests.Kind.DOWNLOAD, Pages.evidence(request, clock.instant()), locale)))
                .build();
    }

    /** The download itself, from the short-lived link in that mail only; a preference link is refused here. */
    @GET
    @Path("/data")
    @Produces(MediaType.APPLICATION_JSON)
    public Response data(@PathParam("token") String token) {
        LinkSigner.Checked checked = links.check(token, LinkToken.Purpose.DOWNLOAD);
        if (checked instanceof LinkSigner.Refused refused) {
            String why = refused.reason() == LinkSigner.Rejection.WRONG_PURPOSE
                    ? "this link does not download data: ask for a download link on your preferences page, it is"
                    + " mailed to your address" : "the link is " + refused.reason().name().toLowerCase(Locale.ROOT)
                    .replace('_', ' ');
            return Response.status(refused.reason() == LinkSigner.Rejection.WRONG_PURPOSE ? 403
                    : Pages.status(refused.reason())).entity(Map.of("error", why)).build();
        }
        return centre.export(((LinkSigner.Valid) checked).token().subscriberId())
                .map(data -> Response.ok(data).header("Content-Disposition", "attachment; filename=\"my-data.json\""))
                .orElseGet(() -> Response.status(404).entity(Map.of("error", "no such subscriber")))
                .build();
    }

    /**
     * From the preference page (ticked): mails the erasure link to the subscriber. From that link's page: erases.
     * Nothing is erased on the word of a preference link alone.
     */
    @POST
    @Path("/erase")
    @Produces(MediaType.TEXT_HTML)
    public Response erase(@PathParam("token") String token, @HeaderParam("Accept-Language") String languages,
                          @FormParam("confirm") String confirm, @Context HttpServerRequest request) {
        Locale locale = PageLanguage.fromHeader(languages);
        PublicText text = Pages.texts(locale);
        if (links.check(token, LinkToken.Purpose.ERASE) instanceof LinkSigner.Valid valid) {
            return centre.erase(valid.token().subscriberId(), Pages.evidence(request, clock.instant()))
                    ? Response.ok(Pages.notice(locale, text.erasedTitle(), text.erased())).build()
                    : Response.status(404).entity(Pages.unknown(locale)).build();
        }
        return withSubscriber(token, languages, (id, l) -> {
            if (!"yes".equals(confirm)) {
                return page(token, id, l, null, text.eraseNotConfirmed()).status(400);
            }
            return mailed(token, id, l, DataRequests.Kind.ERASE, requests.request(id, DataRequests.Kind.ERASE,
                    Pages.evidence(request, clock.instant()), l));
        }).build();
    }

    /** The page of the erasure link in the mail: a button, since mail scanners open links (GET changes nothing). */
    @GET
    @Path("/erase")
    @Produces(MediaType.TEXT_HTML)
    public Response confirmErase(@PathParam("token") String token, @HeaderParam("Accept-Language") String languages) {
        Locale locale = PageLanguage.fromHeader(languages);
        LinkSigner.Checked checked = links.check(token, LinkToken.Purpose.ERASE);
        if (checked instanceof LinkSigner.Refused refused) {
            return Response.status(Pages.status(refused.reason())).entity(Pages.refused(refused.reason(), locale))
                    .build();
        }
        return centre.show(((LinkSigner.Valid) checked).token().subscriberId())
                .map(p -> Response.ok(Pages.localized(Pages.Templates.eraseConfirm(p.subscriber().email(), token),
                        locale)).build())
                .orElseGet(() -> Response.status(404).entity(Pages.unknown(locale)).build());
    }

    /** The preference page saying where the link went, or why no mail was sent. */
    private Response.ResponseBuilder mailed(String token, long id, Locale locale, DataRequests.Kind kind,
                                            DataRequests.Outcome outcome) {
        if (outcome instanceof DataRequests.Mailed mail) {
            PublicText text = Pages.texts(locale);
            long minutes = linksConfig.dataRequestLifetime().toMinutes();
            return page(token, id, locale, kind == DataRequests.Kind.DOWNLOAD
                    ? text.downloadMailed(mail.email(), minutes) : text.eraseMailed(mail.email(), minutes), null);
        }
        if (outcome instanceof DataRequests.TooMany) {
            return page(token, id, locale, null, Pages.texts(locale).tooManyDataRequests()).status(429)
                    .header("Retry-After", "3600");
        }
        return Response.status(404).entity(Pages.unknown(locale));
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
