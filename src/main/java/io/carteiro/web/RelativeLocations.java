package io.carteiro.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.net.URI;
import java.util.Locale;

/**
 * Keeps the client's Host header out of redirects (issue 12.11: {@code Host: evil.test} gave
 * {@code Location: http://evil.test/...}). JAX-RS turns a relative {@code Response.seeOther("/admin/lists")} into an
 * absolute URL on the request's own host; this filter turns it back into the path, which every browser resolves
 * against the address it really used. Redirects to other hosts are left as they are. Absolute URLs in mail and
 * pages come from {@code carteiro.public-url} only.
 */
class RelativeLocations {

    @ServerResponseFilter
    void relativise(ContainerRequestContext request, ContainerResponseContext response) {
        Object location = response.getHeaders().getFirst(HttpHeaders.LOCATION);
        if (location == null) {
            return;
        }
        URI uri;
        try {
            uri = location instanceof URI u ? u : URI.create(location.toString());
        } catch (IllegalArgumentException e) {
            return;
        }
        // the base JAX-RS resolved the relative redirect against: the request's scheme and Host header
        String own = request.getUriInfo().getBaseUri().getRawAuthority();
        if (!uri.isAbsolute() || uri.getRawAuthority() == null || own == null
                || !uri.getRawAuthority().toLowerCase(Locale.ROOT).equals(own.toLowerCase(Locale.ROOT))) {
            return;
        }
        String relative = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
        response.getHeaders().putSingle(HttpHeaders.LOCATION, relative);
    }
}
