package io.carteiro.admin;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The value of a session cookie, to be checked against {@code admin_session}. */
final class SessionTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    SessionTokenRequest(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }
}
