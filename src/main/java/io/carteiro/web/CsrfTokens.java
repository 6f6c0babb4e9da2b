package io.carteiro.web;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The CSRF token for templates: {@code <input type="hidden" name="{inject:csrf.parameterName}"
 * value="{inject:csrf.token}">}, and the htmx header on the layout's body.
 */
@Named("csrf")
@RequestScoped
public class CsrfTokens {

    @Inject
    SecurityIdentity identity;

    @Inject
    RoutingContext context;

    public String getToken() {
        return Csrf.tokenFor(identity, context);
    }

    public String getParameterName() {
        return Csrf.FIELD;
    }
}
