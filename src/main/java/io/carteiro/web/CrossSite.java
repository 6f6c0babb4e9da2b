package io.carteiro.web;

import io.vertx.core.http.HttpServerRequest;

import java.net.URI;
import java.util.Locale;

/**
 * Whether a browser sent a request from another site's page: its {@code Sec-Fetch-Site} says so, or its
 * {@code Origin} names a host other than the one it is addressed to. Browsers set both on every cross-site POST and
 * scripts cannot forge them; requests without either (curl, API clients) are not browsers' and pass.
 */
public final class CrossSite {

    private CrossSite() {
    }

    public static boolean isCrossSite(HttpServerRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && site.equalsIgnoreCase("cross-site")) {
            return true;
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String host = request.getHeader("Host");
        if (origin.equals("null") || host == null) {
            return true;  // an opaque origin (sandboxed frame, data: page) is nobody we know
        }
        try {
            String authority = URI.create(origin).getRawAuthority();
            return authority == null || !authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
