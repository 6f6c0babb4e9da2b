package io.carteiro.admin;

import io.carteiro.web.ClientAddress;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;

/**
 * The session cookie as the browser gets it: HttpOnly (no script reads it), SameSite=Strict (no other site's page
 * sends it), and Secure whenever the request came over TLS, directly or through a trusted proxy.
 */
@ApplicationScoped
class SessionCookies {

    @Inject
    ClientAddress clientAddress;

    NewCookie session(String token, HttpServerRequest request) {
        return builder(token, request).build();
    }

    NewCookie expired(HttpServerRequest request) {
        return builder("", request).maxAge(0).build();
    }

    private NewCookie.Builder builder(String value, HttpServerRequest request) {
        return new NewCookie.Builder(AdminSessions.COOKIE).value(value).path("/").httpOnly(true)
                .secure(clientAddress.overTls(request)).sameSite(NewCookie.SameSite.STRICT);
    }
}
