package io.carteiro.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The browser-side defences on every response of the main port (issue 12.14): a Content-Security-Policy that allows
 * no inline script or style and no framing, {@code nosniff}, a Referrer-Policy that keeps the tokens in public links
 * out of Referer headers, and HSTS on requests that came over TLS. A response that set its own policy (the campaign
 * preview frame) keeps it.
 */
@ApplicationScoped
class SecurityHeaders {

    /** The pages' policy: everything from Carteiro itself, nothing inline, no plugins, never inside a frame. */
    static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * Swagger UI (Quarkus's, behind the admin sign-in) starts itself from an inline script and styles inline; it is
     * the one page allowed to, and only for that.
     */
    static final String SWAGGER_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline';"
            + " style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
            + " frame-ancestors 'none'";

    /** Paths whose URLs carry a subscriber's signed token: no Referer at all leaves them. */
    private static final String[] TOKEN_PATHS = {"/u/", "/p/", "/confirm/"};

    @Inject
    ClientAddress clientAddress;

    @Inject
    WebConfig config;

    void register(@Observes Filters filters) {
        // after the path check (which answers some requests itself), before authentication (priority 200)
        filters.register(this::addHeaders, 900);
    }

    void addHeaders(RoutingContext context) {
        String path = context.request().path();
        boolean tls = clientAddress.overTls(context.request());
        context.addHeadersEndHandler(ignored -> {
            MultiMap headers = context.response().headers();
            setIfAbsent(headers, "Content-Security-Policy",
                    path.startsWith("/q/swagger-ui") ? SWAGGER_POLICY : PAGE_POLICY);
            setIfAbsent(headers, "X-Content-Type-Options", "nosniff");
            setIfAbsent(headers, "X-Frame-Options", "DENY");
            setIfAbsent(headers, "Referrer-Policy", carriesToken(path) ? "no-referrer" : "same-origin");
            if (path.startsWith("/admin")) {
                setIfAbsent(headers, "Cache-Control", "no-store");
            }
            if (tls && !config.hstsMaxAge().isZero()) {
                setIfAbsent(headers, "Strict-Transport-Security", "max-age=" + config.hstsMaxAge().toSeconds());
            }
        });
        context.next();
    }

    private static boolean carriesToken(String path) {
        for (String prefix : TOKEN_PATHS) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static void setIfAbsent(MultiMap headers, String name, String value) {
        if (!headers.contains(name)) {
            headers.set(name, value);
        }
    }
}
