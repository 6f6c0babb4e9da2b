package io.carteiro.web;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses every state-changing request of the pages that does not carry the expected CSRF token, whatever its
 * content type or body (issue 12.7: a {@code text/plain} POST used to skip the check). The token comes in the
 * {@value Csrf#HEADER} header or, for form posts, the {@value Csrf#FIELD} field. Exempt: {@code /api/}, whose
 * credentials travel in the Authorization header (no cookie gives a forged request any power there), and the
 * sign-in form, which has no session yet and refuses cross-site posts itself.
 */
class CsrfFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    SecurityIdentity identity;

    @Inject
    ClientAddress clientAddress;

    @ServerRequestFilter
    @WithFormRead
    Response check(ResteasyReactiveContainerRequestContext request, RoutingContext context) {
        String path = context.normalizedPath();
        if (path.startsWith("/api/") || path.equals("/j_security_check")) {
            return null;
        }
        if (SAFE_METHODS.contains(request.getMethod())) {
            // pages are rendered after the response filters: the visitor's token is settled here, before them
            Csrf.tokenFor(identity, context);
            return null;
        }
        String expected = identity.getAttribute(Csrf.SESSION_TOKEN);
        if (expected == null) {
            Cookie cookie = context.request().getCookie(Csrf.FIELD);
            expected = cookie == null || !Csrf.wellFormed(cookie.getValue()) ? null : cookie.getValue();
        }
        String presented = request.getHeaderString(Csrf.HEADER);
        if (presented == null && isForm(request.getMediaType())) {
            Object field = ((ResteasyReactiveRequestContext) request.getServerRequestContext())
                    .getFormParameter(Csrf.FIELD, true, false);
            presented = field == null ? null : field.toString();
        }
        if (expected == null || presented == null || !MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII))) {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                    .entity("Nothing changed: the form's security token (CSRF) is missing or out of date."
                            + " Open the page again and resend it.\n").build();
        }
        return null;
    }

    /** Hands an anonymous visitor the cookie its forms' token must match, when the page gave it a new one. */
    @ServerResponseFilter
    void setAnonymousCookie(RoutingContext context) {
        if (Boolean.TRUE.equals(context.get(Csrf.ANONYMOUS_NEW))) {
            context.response().addCookie(Cookie.cookie(Csrf.FIELD, context.get(Csrf.ANONYMOUS)).setPath("/")
                    .setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setMaxAge(2 * 3600)
                    .setSecure(clientAddress.overTls(context.request())));
        }
    }

    private static boolean isForm(MediaType type) {
        if (type == null) {
            return false;
        }
        String name = (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
        return name.equals(MediaType.APPLICATION_FORM_URLENCODED) || name.equals(MediaType.MULTIPART_FORM_DATA);
    }
}
