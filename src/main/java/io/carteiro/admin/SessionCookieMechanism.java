package io.carteiro.admin;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Sign-in for the admin pages: the {@value AdminSessions#COOKIE} cookie names a row of {@code admin_session}. A
 * cookie that names no valid session makes the caller anonymous (so the sign-in page and the public pages still
 * open), and an admin page then sends it to sign in. Paths choose this mechanism as {@value #SCHEME}.
 */
@ApplicationScoped
class SessionCookieMechanism implements HttpAuthenticationMechanism {

    static final String SCHEME = "session";

    /** The challenge is a relative redirect: an absolute one would be built from the Host header (issue 12.11). */
    static final String SIGN_IN_PAGE = "/login";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        Cookie cookie = context.request().getCookie(AdminSessions.COOKIE);
        if (cookie == null || cookie.getValue().isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        AuthenticationRequest request = HttpSecurityUtils.setRoutingContextAttribute(
                new SessionTokenRequest(cookie.getValue()), context);
        return identities.authenticate(request).onFailure().recoverWithNull();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (context.request().getHeader("HX-Request") != null) {
            // an htmx request would swap the sign-in page into a fragment: htmx navigates on HX-Redirect instead
            return Uni.createFrom().item(new ChallengeData(401, "HX-Redirect", SIGN_IN_PAGE));
        }
        return Uni.createFrom().item(new ChallengeData(302, "Location", SIGN_IN_PAGE));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(SessionTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.COOKIE,
                AdminSessions.COOKIE, SCHEME));
    }
}
