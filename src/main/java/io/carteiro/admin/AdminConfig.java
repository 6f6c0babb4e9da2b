package io.carteiro.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Sign-in settings. */
@ConfigMapping(prefix = "carteiro.admin")
public interface AdminConfig {

    /** E-mail of the first admin, created on first start when no admin exists. */
    @WithDefault("admin@carteiro.local")
    String email();

    /** Password of the first admin; when absent a random one is generated and printed once. */
    Optional<String> password();

    /** Failed sign-ins allowed per account within {@link #failureWindow()} before the account is locked. */
    @WithDefault("5")
    int maxFailuresPerAccount();

    /** Failed sign-ins allowed per client IP within {@link #failureWindow()}; higher, as offices share an IP. */
    @WithDefault("20")
    int maxFailuresPerIp();

    /** The window over which failures are counted, and how long a key stays locked after too many. */
    @WithDefault("PT15M")
    Duration failureWindow();
}
