package io.carteiro.admin;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Admin sessions kept in the database (table {@code admin_session}), so that they can be revoked: a session is valid
 * while its row exists, it was used within the idle timeout and is younger than the lifetime. The cookie token is
 * random and only its hash is stored; nothing here needs a key.
 */
@ApplicationScoped
public class AdminSessions {

    /** The session cookie's name. */
    public static final String COOKIE = "carteiro-session";

    /** Last-seen times are written at most this often, so a busy page does not update its row on every request. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private static final int TOKEN_BYTES = 32;
    private static final int TOKEN_LENGTH = 43;  // base64url of 32 bytes, unpadded

    /** A new session: the cookie value (shown to the browser once, never stored) and its CSRF token. */
    public record Opened(String cookieToken, String csrfToken) {
    }

    /** A valid session and its account. */
    public record Active(long userId, String email, String role, byte[] tokenHash, String csrfToken) {
    }

    private final SecureRandom random = new SecureRandom();

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    AdminConfig config;

    @Transactional
    public Opened open(AdminUser user, String clientAddress, String userAgent) {
        String token = randomToken();
        AdminSession session = new AdminSession();
        session.tokenHash = hash(token);
        session.adminUserId = user.id;
        session.csrfToken = randomToken();
        session.createdAt = clock.instant();
        session.lastSeenAt = session.createdAt;
        session.clientAddress = clientAddress == null ? null : truncate(clientAddress, 45);
        session.userAgent = userAgent == null ? null : truncate(userAgent, 300);
        em.persist(session);
        return new Opened(token, session.csrfToken);
    }

    /** The session of a cookie value, if it is still valid; refreshes its last-seen time now and then. */
    @Transactional
    public Optional<Active> find(String cookieToken) {
        if (cookieToken == null || cookieToken.length() != TOKEN_LENGTH) {
            return Optional.empty();
        }
        byte[] hash = hash(cookieToken);
        Instant now = clock.instant();
        List<Object[]> rows = em.createQuery("""
                        select s, u from AdminSession s, AdminUser u
                        where s.tokenHash = :hash and u.id = s.adminUserId
                          and s.lastSeenAt > :idleSince and s.createdAt > :bornAfter""", Object[].class)
                .setParameter("hash", hash)
                .setParameter("idleSince", now.minus(config.sessionIdleTimeout()))
                .setParameter("bornAfter", now.minus(config.sessionLifetime()))
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        AdminSession session = (AdminSession) rows.get(0)[0];
        AdminUser user = (AdminUser) rows.get(0)[1];
        if (session.lastSeenAt.isBefore(now.minus(TOUCH_EVERY))) {
            session.lastSeenAt = now;
        }
        return Optional.of(new Active(user.id, user.email, user.role, hash, session.csrfToken));
    }

    /** Ends every session of the account (sign-out, password change, removal); returns how many there were. */
    @Transactional
    public int revokeAll(long userId) {
        return em.createQuery("delete from AdminSession s where s.adminUserId = :user")
                .setParameter("user", userId).executeUpdate();
    }

    /** How many sessions of the account are still valid (shown on the account page). */
    @Transactional
    public long countActive(long userId) {
        Instant now = clock.instant();
        return em.createQuery("""
                        select count(s) from AdminSession s
                        where s.adminUserId = :user and s.lastSeenAt > :idleSince and s.createdAt > :bornAfter""",
                        Long.class)
                .setParameter("user", userId)
                .setParameter("idleSince", now.minus(config.sessionIdleTimeout()))
                .setParameter("bornAfter", now.minus(config.sessionLifetime()))
                .getSingleResult();
    }

    @Scheduled(identity = "admin-session-pruning", every = "10m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyTenMinutes() {
        pruneExpired();
    }

    /** Deletes sessions that can no longer be used; returns how many. */
    @Transactional
    int pruneExpired() {
        Instant now = clock.instant();
        return em.createQuery("delete from AdminSession s where s.lastSeenAt <= :idleSince or s.createdAt <= :bornAfter")
                .setParameter("idleSince", now.minus(config.sessionIdleTimeout()))
                .setParameter("bornAfter", now.minus(config.sessionLifetime()))
                .executeUpdate();
    }

    private String randomToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String token) {
        return Sha256.of(token);
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
