package io.carteiro.admin;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Sign-in for {@code /api/}: {@code Authorization: Bearer <token>} (an {@link ApiTokens API token}), or HTTP Basic
 * with an account's e-mail and password where {@link ApiConfig#basicAuth()} allows it. Credentials travel only in
 * that header, never in a cookie, so no other site's page can make a browser call the API. Paths choose this
 * mechanism as {@value #SCHEME}.
 */
@ApplicationScoped
class ApiCredentialsMechanism implements HttpAuthenticationMechanism {

    static final String SCHEME = "api";

    @Inject
    ApiConfig config;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader("Authorization");
        if (header == null || header.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        int space = header.indexOf(' ');
        String kind = space < 0 ? header : header.substring(0, space);
        String value = space < 0 ? "" : header.substring(space + 1).strip();
        AuthenticationRequest request;
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "bearer" -> request = new ApiTokenRequest(value);
            case "basic" -> {
                if (!config.basicAuth()) {
                    return Uni.createFrom().failure(new AuthenticationFailedException(
                            "HTTP Basic is off (carteiro.api.basic-auth); use an API token"));
                }
                request = basic(value);
                if (request == null) {
                    return Uni.createFrom().failure(new AuthenticationFailedException("malformed HTTP Basic"));
                }
            }
            default -> {
                return Uni.createFrom().failure(new AuthenticationFailedException("unknown Authorization scheme"));
            }
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context));
    }

    private static UsernamePasswordAuthenticationRequest basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        return new UsernamePasswordAuthenticationRequest(decoded.substring(0, colon),
                new PasswordCredential(decoded.substring(colon + 1).toCharArray()));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        String challenge = config.basicAuth() ? "Bearer realm=\"Carteiro API\", Basic realm=\"Carteiro API\""
                : "Bearer realm=\"Carteiro API\"";
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", challenge));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenRequest.class, UsernamePasswordAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION,
                "bearer", SCHEME));
    }
}
