package io.carteiro.unsubscribe;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Keys and lifetimes of the signed links in messages (unsubscribe, preferences, double opt-in confirmation). */
@ConfigMapping(prefix = "carteiro.links")
public interface LinksConfig {

    /**
     * Signing keys by key id ({@code carteiro.links.keys.k2026=<at least 32 random characters>}). Key ids are 1–16
     * characters of {@code A-Z a-z 0-9 _ -}. Every key listed still verifies the links it signed, so to rotate add a
     * new key, make it current, and remove the old one only when its links may expire. When no key is configured,
     * one is generated on first start and kept, encrypted, among the installation's secrets
     * ({@code app_setting} {@code links.generated-key}).
     */
    Map<String, String> keys();

    /** Key id that signs new links; may be left out when exactly one key is configured. */
    Optional<String> currentKey();

    /** How long a double opt-in confirmation link stays valid. */
    @WithDefault("P7D")
    Duration confirmLifetime();

    /** How long an unsubscribe link stays valid: longer than anyone keeps a newsletter before acting on it. */
    @WithDefault("P400D")
    Duration unsubscribeLifetime();

    /** How long a preference-centre link stays valid. */
    @WithDefault("P400D")
    Duration preferencesLifetime();

    /**
     * How long the data-download and erasure links stay valid. The preference centre mails them to the subscriber's
     * own address on request, so that whoever holds a forwarded preference link cannot take or erase the data.
     */
    @WithDefault("PT1H")
    Duration dataRequestLifetime();
}
