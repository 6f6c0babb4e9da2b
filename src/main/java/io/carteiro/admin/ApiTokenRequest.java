package io.carteiro.admin;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token presented to the API. */
final class ApiTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    ApiTokenRequest(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }
}
