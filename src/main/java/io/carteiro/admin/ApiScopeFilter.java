package io.carteiro.admin;

import io.carteiro.web.ApiErrors;
import io.carteiro.web.SendsMail;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Set;

/**
 * Holds every API route to the scopes of the token a request came with: {@code read} for GET and HEAD, {@code send}
 * for routes marked {@link SendsMail}, {@code write} for every other change. Requests signed in otherwise (account
 * password) carry no scopes and are not limited.
 */
class ApiScopeFilter {

    @Inject
    SecurityIdentity identity;

    @ServerRequestFilter
    Response check(ContainerRequestContext request, ResourceInfo resource) {
        Set<ApiScope> scopes = identity.getAttribute(ApiTokenIdentityProvider.SCOPES);
        if (scopes == null || !request.getUriInfo().getPath().startsWith("/api/")) {
            return null;
        }
        ApiScope needed = needed(request.getMethod(), resource);
        if (scopes.contains(needed)) {
            return null;
        }
        return ApiErrors.error(Response.Status.FORBIDDEN, "this API token lacks the '" + needed.wireName()
                + "' scope that " + request.getMethod() + " " + request.getUriInfo().getPath() + " needs");
    }

    static ApiScope needed(String method, ResourceInfo resource) {
        boolean sends = resource.getResourceMethod() != null
                && (resource.getResourceMethod().isAnnotationPresent(SendsMail.class)
                || resource.getResourceClass().isAnnotationPresent(SendsMail.class));
        if (sends) {
            return ApiScope.SEND;
        }
        return method.equals("GET") || method.equals("HEAD") ? ApiScope.READ : ApiScope.WRITE;
    }
}
