package io.carteiro.admin;

import io.carteiro.web.Csrf;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Turns a session cookie into the signed-in admin, looking the session up on every request: a session revoked or
 * expired, or an account removed, is refused at once on every replica.
 */
@ApplicationScoped
class SessionIdentityProvider implements IdentityProvider<SessionTokenRequest> {

    /** Identity attribute: the account's id. */
    static final String USER_ID = "carteiro.user-id";

    @Inject
    AdminSessions sessions;

    @Override
    public Class<SessionTokenRequest> getRequestType() {
        return SessionTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(SessionTokenRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> sessions.find(request.token())
                .map(session -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(session.email()))
                        .addRole(session.role())
                        .addAttribute(USER_ID, session.userId())
                        .addAttribute(Csrf.SESSION_TOKEN, session.csrfToken())
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("no such session")));
    }
}
