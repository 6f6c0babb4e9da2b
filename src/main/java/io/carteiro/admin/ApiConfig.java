package io.carteiro.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How API clients authenticate (keys under {@code carteiro.api}). */
@ConfigMapping(prefix = "carteiro.api")
public interface ApiConfig {

    /**
     * Whether the API also takes an account's e-mail and password (HTTP Basic). Off on a new install: scripts use
     * API tokens ({@code Authorization: Bearer crt_…}), which can be limited and revoked without touching a password.
     */
    @WithDefault("false")
    boolean basicAuth();
}
