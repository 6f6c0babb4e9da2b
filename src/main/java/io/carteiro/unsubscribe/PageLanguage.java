package io.carteiro.unsubscribe;

import java.util.List;
import java.util.Locale;

/** Picks the language of a subscriber page from the browser's Accept-Language: Portuguese or English. */
final class PageLanguage {

    static final Locale PORTUGUESE = Locale.forLanguageTag("pt");
    private static final List<String> OFFERED = List.of("en", "pt");

    private PageLanguage() {
    }

    static Locale fromHeader(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return Locale.ENGLISH;
        }
        try {
            String tag = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), OFFERED);
            return "pt".equals(tag) ? PORTUGUESE : Locale.ENGLISH;
        } catch (IllegalArgumentException e) {
            return Locale.ENGLISH;
        }
    }
}
