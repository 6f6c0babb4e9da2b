package io.carteiro.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers for a short while that a password matched an account's bcrypt hash, so an API client sending HTTP Basic
 * on every request pays the deliberately slow bcrypt once a minute instead of on each call (bcrypt at cost 12 takes
 * about a quarter of a second). Entries are keyed by SHA-256 of address, password and the stored hash: nothing
 * reversible is kept, and a changed password (a new hash) no longer matches.
 */
@ApplicationScoped
class VerifiedPasswords {

    static final Duration LIFETIME = Duration.ofSeconds(60);
    static final int MAX_ENTRIES = 10_000;

    private final Map<String, Instant> verified = new ConcurrentHashMap<>();

    @Inject
    Clock clock;

    boolean recentlyVerified(AdminUser user, String password) {
        Instant until = verified.get(key(user, password));
        return until != null && clock.instant().isBefore(until);
    }

    void remember(AdminUser user, String password) {
        if (verified.size() >= MAX_ENTRIES) {
            Instant now = clock.instant();
            verified.values().removeIf(now::isAfter);
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
        }
        verified.put(key(user, password), clock.instant().plus(LIFETIME));
    }

    private static String key(AdminUser user, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[]{user.email, password, user.passwordHash}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
