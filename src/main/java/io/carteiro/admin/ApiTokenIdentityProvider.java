package io.carteiro.admin;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Turns a bearer token into its account, with the token's scopes; a revoked or expired token is refused. */
@ApplicationScoped
class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenRequest> {

    /** Identity attribute: the scopes of the token the request came with (absent for sessions and passwords). */
    static final String SCOPES = "carteiro.api-scopes";

    /** Identity attribute: the token's id and expiry, so a token cannot make one that outlives it. */
    static final String TOKEN = "carteiro.api-token";

    @Inject
    ApiTokens tokens;

    @Override
    public Class<ApiTokenRequest> getRequestType() {
        return ApiTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> tokens.find(request.token())
                .map(valid -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(valid.email()))
                        .addRole(valid.role())
                        .addAttribute(SessionIdentityProvider.USER_ID, valid.userId())
                        .addAttribute(SCOPES, valid.scopes())
                        .addAttribute(TOKEN, valid)
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("unknown, revoked or expired API token")));
    }
}
