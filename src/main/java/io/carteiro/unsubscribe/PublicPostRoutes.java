package io.carteiro.unsubscribe;

import io.quarkus.qute.TemplateInstance;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Locale;

/**
 * The two public POSTs that arrive without a page of ours before them, and so without a CSRF cookie: the RFC 8058
 * one-click unsubscribe (sent by mail providers) and the sign-up form embedded on other sites. They are plain Vert.x
 * routes, outside the REST layer's CSRF filter. CSRF does not apply to them: no cookie or session authorises
 * anything here; the unsubscribe is authorised by the HMAC-signed token in the URL, and a sign-up needs nothing but
 * passes the honeypot, the rate limits and (on double opt-in lists) the confirmation mail.
 */
@ApplicationScoped
class PublicPostRoutes {

    static final String ONE_CLICK_FIELD = "List-Unsubscribe";
    static final String ONE_CLICK_VALUE = "One-Click";
    private static final String HTML = "text/html; charset=UTF-8";
    private static final String TEXT = "text/plain; charset=UTF-8";

    @Inject
    SignedLinks links;

    @Inject
    UnsubscribeService unsubscribes;

    @Inject
    SubscribeService subscribe;

    @Inject
    Clock clock;

    void register(@Observes Router router) {
        router.post("/u/:token").handler(BodyHandler.create(false).setBodyLimit(64 * 1024))
                .blockingHandler(this::unsubscribe, false);
        router.post("/subscribe/:listId").handler(BodyHandler.create(false).setBodyLimit(64 * 1024))
                .blockingHandler(this::signUp, false);
    }

    /** RFC 8058 one-click (answers 200 and no page), or the button of the unsubscribe page (answers a page). */
    void unsubscribe(RoutingContext ctx) {
        String token = ctx.pathParam("token");
        MultiMap form = ctx.request().formAttributes();
        boolean oneClick = ONE_CLICK_VALUE.equalsIgnoreCase(strip(form.get(ONE_CLICK_FIELD)));
        boolean button = "unsubscribe".equals(form.get("action"));
        Locale locale = PageLanguage.fromHeader(ctx.request().getHeader("Accept-Language"));
        if (!oneClick && !button) {
            ctx.response().setStatusCode(400).putHeader("Content-Type", TEXT)
                    .end("Nothing changed: a one-click unsubscribe POSTs the body List-Unsubscribe=One-Click "
                            + "(RFC 8058); to unsubscribe in a browser, open this link.\n");
            return;
        }
        LinkSigner.Checked checked = links.check(token, LinkToken.Purpose.UNSUBSCRIBE);
        if (checked instanceof LinkSigner.Refused refused) {
            if (oneClick) {
                plain(ctx, Pages.status(refused.reason()), "Nothing changed: the unsubscribe link is "
                        + (refused.reason() == LinkSigner.Rejection.EXPIRED ? "expired" : "not valid") + ".\n");
            } else {
                page(ctx, Pages.status(refused.reason()), Pages.refused(refused.reason(), locale));
            }
            return;
        }
        LinkToken t = ((LinkSigner.Valid) checked).token();
        UnsubscribeService.Outcome outcome = unsubscribes.unsubscribe(t.subscriberId(), t.listId(),
                t.campaignId().orElse(null),
                oneClick ? UnsubscribeService.Method.ONE_CLICK : UnsubscribeService.Method.LINK,
                Pages.evidence(ctx.request(), clock.instant()));
        if (oneClick) {
            if (outcome == UnsubscribeService.Outcome.NOT_FOUND) {
                plain(ctx, 404, "Nothing changed: no such subscription.\n");
            } else {
                plain(ctx, 200, "Unsubscribed.\n");
            }
            return;
        }
        if (outcome == UnsubscribeService.Outcome.NOT_FOUND) {
            page(ctx, 404, Pages.unknown(locale));
            return;
        }
        PublicText text = Pages.texts(locale);
        String done = unsubscribes.leaving(t.subscriberId(), t.listId())
                .map(l -> text.unsubscribed(l.email(), l.list().name())).orElse("");
        page(ctx, 200, Pages.localized(Pages.Templates.notice(text.unsubscribedTitle(), done,
                links.preferencesUrl(t.subscriberId()), text.managePreferences()), locale));
    }

    /** The sign-up form's POST, from the hosted page or from a snippet on another site. */
    void signUp(RoutingContext ctx) {
        Locale locale = PageLanguage.fromHeader(ctx.request().getHeader("Accept-Language"));
        PublicText text = Pages.texts(locale);
        long listId;
        try {
            listId = Long.parseLong(ctx.pathParam("listId"));
        } catch (NumberFormatException e) {
            page(ctx, 404, Pages.notice(locale, text.noFormTitle(), text.noForm()));
            return;
        }
        MultiMap form = ctx.request().formAttributes();
        SubscribeService.SignUp signUp = new SubscribeService.SignUp(form.get("email"), form.get("name"),
                form.get("consent") != null && !form.get("consent").isBlank(), form.get("website"));
        SubscribeService.SignUpResult result = subscribe.signUp(listId, signUp,
                Pages.evidence(ctx.request(), clock.instant()), locale);
        if (result instanceof SubscribeService.Accepted accepted) {
            ListInfo list = accepted.list();
            page(ctx, 200, list.doubleOptIn()
                    ? Pages.notice(locale, text.checkInboxTitle(), text.checkInbox(list.name()))
                    : Pages.notice(locale, text.subscribedTitle(), text.subscribed(list.name())));
        } else if (result instanceof SubscribeService.Invalid invalid) {
            Pages.FormState state = new Pages.FormState(signUp.email(), signUp.name(),
                    invalid.problems().contains(SubscribeService.Problem.EMAIL_INVALID),
                    invalid.problems().contains(SubscribeService.Problem.CONSENT_MISSING),
                    invalid.problems().contains(SubscribeService.Problem.NAME_TOO_LONG),
                    invalid.problems().contains(SubscribeService.Problem.NAME_INVALID));
            page(ctx, 400, SubscribePage.form(invalid.list(), state, locale));
        } else if (result instanceof SubscribeService.RateLimited) {
            ctx.response().putHeader("Retry-After", "3600");
            page(ctx, 429, Pages.notice(locale, text.tooManyTitle(), text.tooMany()));
        } else {
            page(ctx, 404, Pages.notice(locale, text.noFormTitle(), text.noForm()));
        }
    }

    private static void page(RoutingContext ctx, int status, TemplateInstance page) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", HTML)
                .putHeader("Cache-Control", "no-store").end(page.render());
    }

    private static void plain(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", TEXT).end(body);
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }
}
