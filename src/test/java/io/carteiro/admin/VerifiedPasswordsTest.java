package io.carteiro.admin;

import io.carteiro.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifiedPasswordsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private VerifiedPasswords cache() {
        VerifiedPasswords cache = new VerifiedPasswords();
        cache.clock = clock;
        return cache;
    }

    private static AdminUser user(String hash) {
        AdminUser user = new AdminUser();
        user.email = "ana@carteiro.test";
        user.passwordHash = hash;
        return user;
    }

    @Test
    void aVerifiedPasswordIsRememberedForAMinuteOnlyForThatPasswordAndHash() {
        VerifiedPasswords cache = cache();
        AdminUser ana = user("$2a$12$first");
        assertFalse(cache.recentlyVerified(ana, "secret"));

        cache.remember(ana, "secret");

        assertTrue(cache.recentlyVerified(ana, "secret"));
        assertFalse(cache.recentlyVerified(ana, "Secret"), "another password");
        assertFalse(cache.recentlyVerified(user("$2a$12$changed"), "secret"), "the password was changed since");
        clock.advance(VerifiedPasswords.LIFETIME.plus(Duration.ofMillis(1)));
        assertFalse(cache.recentlyVerified(ana, "secret"), "expired");
    }
}
