package io.carteiro.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Sign-in and session settings (keys under {@code carteiro.admin}). */
@ConfigMapping(prefix = "carteiro.admin")
public interface AdminConfig {

    /** E-mail of the first admin, created on first start when no admin exists. */
    @WithDefault("admin@carteiro.local")
    String email();

    /** Password of the first admin; when absent a random one is generated and printed once. */
    Optional<String> password();

    /**
     * Failed sign-ins from one client address to one account that cost nothing; each further one makes that pair
     * wait twice as long (1 s, 2 s, 4 s, ...), up to {@link #longestDelay()}.
     */
    @WithDefault("5")
    int freeFailuresPerAccountAndAddress();

    /**
     * Failed sign-ins from one client address, to any accounts, that cost nothing before the same growing delays
     * apply to the address; higher, as an office shares one address.
     */
    @WithDefault("20")
    int freeFailuresPerAddress();

    /** The ceiling of the growing delay. */
    @WithDefault("PT15M")
    Duration longestDelay();

    /** Failures this old (counted from the latest) are forgotten. */
    @WithDefault("PT1H")
    Duration failureMemory();

    /** A session not used for this long ends; the admin signs in again. */
    @WithDefault("PT2H")
    Duration sessionIdleTimeout();

    /** A session ends this long after sign-in however busy it is. */
    @WithDefault("PT12H")
    Duration sessionLifetime();
}
