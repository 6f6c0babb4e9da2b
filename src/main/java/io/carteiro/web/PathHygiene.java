package io.carteiro.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Locale;

/**
 * Answers 404 at once to a path with a matrix parameter ({@code /admin;x}, also percent-encoded). Carteiro has no
 * such routes, and the security layer and the routers disagreed about them: {@code GET /admin;x} without sign-in
 * held the connection for 65 s and logged a 200-line stack trace (issue 12.12).
 */
@ApplicationScoped
class PathHygiene {

    void register(@Observes Filters filters) {
        filters.register(this::refuseMatrixParameters, 1000);
    }

    void refuseMatrixParameters(RoutingContext context) {
        String path = context.request().path();
        if (path != null && (path.indexOf(';') >= 0 || path.toLowerCase(Locale.ROOT).contains("%3b"))) {
            context.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=UTF-8")
                    .end("Not found: Carteiro's paths have no ';' parameters.\n");
            return;
        }
        context.next();
    }
}
