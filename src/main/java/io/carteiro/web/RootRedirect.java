package io.carteiro.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code /} sends the visitor to the admin, which sends a visitor who is not signed in on to the sign-in page
 * (issue 15.9: it answered a bare 404). A route of the HTTP layer, not a JAX-RS resource: it serves no page of its
 * own and needs no sign-in.
 */
@ApplicationScoped
class RootRedirect {

    void register(@Observes Router router) {
        router.get("/").handler(context -> context.response().setStatusCode(302).putHeader("Location", "/admin").end());
    }
}
