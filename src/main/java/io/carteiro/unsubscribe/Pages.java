package io.carteiro.unsubscribe;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import io.vertx.core.http.HttpServerRequest;

import java.time.Instant;
import java.util.Locale;

/** The subscriber pages' templates, and what every public page needs: its language, its texts and the evidence. */
final class Pages {

    private Pages() {
    }

    /** The sign-up form as typed, with the fields to correct. */
    record FormState(String email, String name, boolean emailInvalid, boolean consentMissing, boolean nameTooLong,
                     boolean nameInvalid) {
        static final FormState EMPTY = new FormState("", "", false, false, false, false);

        public boolean hasErrors() {
            return emailInvalid || consentMissing || nameTooLong || nameInvalid;
        }

        public boolean nameWrong() {
            return nameTooLong || nameInvalid;
        }
    }

    @CheckedTemplate(basePath = "unsubscribe", requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance subscribeForm(ListInfo list, String consentText, FormState form);

        static native TemplateInstance notice(String title, String text, String linkUrl, String linkText);

        static native TemplateInstance confirm(SubscribeService.Pending pending, String token);

        static native TemplateInstance unsubscribe(UnsubscribeService.Leaving leaving, String token);

        static native TemplateInstance preferences(PreferenceCentre.Preferences prefs, String token, String flash,
                                                   String error);

        static native TemplateInstance formSnippet(ListInfo list, String hostedUrl, String snippet);

        static native TemplateInstance eraseConfirm(String email, String token);
    }

    static TemplateInstance localized(TemplateInstance page, Locale locale) {
        return page.setLocale(locale).data("lang", locale.getLanguage());
    }

    static PublicText texts(Locale locale) {
        return MessageBundles.get(PublicText.class, Localized.Literal.of(locale.getLanguage()));
    }

    static TemplateInstance notice(Locale locale, String title, String text) {
        return localized(Templates.notice(title, text, null, null), locale);
    }

    /** The page for a refused token; its HTTP status is {@link #status(LinkSigner.Rejection)}. */
    static TemplateInstance refused(LinkSigner.Rejection reason, Locale locale) {
        PublicText t = texts(locale);
        return reason == LinkSigner.Rejection.EXPIRED ? notice(locale, t.expiredTitle(), t.expired())
                : notice(locale, t.badLinkTitle(), t.badLink());
    }

    static int status(LinkSigner.Rejection reason) {
        return reason == LinkSigner.Rejection.UNKNOWN_KEY ? 404 : 400;
    }

    static TemplateInstance unknown(Locale locale) {
        PublicText t = texts(locale);
        return notice(locale, t.unknownTitle(), t.unknown());
    }

    static Evidence evidence(HttpServerRequest request, Instant at) {
        return new Evidence(at, request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                request.getHeader("User-Agent"), request.getHeader("Referer"));
    }
}
