package io.carteiro.web;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Cross-site request forgery protection, shared by the filter that checks tokens and the bean that puts them into
 * forms. A signed-in admin's token belongs to the session (a row of {@code admin_session}); an anonymous visitor of
 * the public pages gets one in a cookie, which the form must repeat (double submit).
 */
public final class Csrf {

    /** Security identity attribute holding the signed-in session's CSRF token. */
    public static final String SESSION_TOKEN = "carteiro.csrf-token";

    /** Form field (and, for anonymous visitors, cookie) carrying the token. */
    public static final String FIELD = "csrf-token";

    /** Header carrying the token on htmx and script requests. */
    public static final String HEADER = "X-CSRF-TOKEN";

    /** Routing context key: the anonymous token of this request, and whether the cookie must be (re)set. */
    static final String ANONYMOUS = "carteiro.csrf.anonymous";
    static final String ANONYMOUS_NEW = "carteiro.csrf.anonymous-new";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Csrf() {
    }

    /** The token this request's forms must carry: the session's, else the visitor's cookie, else a new one. */
    static String tokenFor(SecurityIdentity identity, RoutingContext context) {
        String session = identity == null ? null : identity.getAttribute(SESSION_TOKEN);
        if (session != null) {
            return session;
        }
        String anonymous = context.get(ANONYMOUS);
        if (anonymous == null) {
            Cookie cookie = context.request().getCookie(FIELD);
            if (cookie != null && wellFormed(cookie.getValue())) {
                anonymous = cookie.getValue();
            } else {
                anonymous = newToken();
                context.put(ANONYMOUS_NEW, Boolean.TRUE);
            }
            context.put(ANONYMOUS, anonymous);
        }
        return anonymous;
    }

    static boolean wellFormed(String token) {
        return token != null && token.length() == 43 && token.chars().allMatch(c -> Character.isLetterOrDigit(c)
                || c == '-' || c == '_');
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
