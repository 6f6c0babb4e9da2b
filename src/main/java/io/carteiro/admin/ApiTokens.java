package io.carteiro.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * API tokens (table {@code api_token}): issued to an account with scopes and an optional expiry, found by the hash
 * of the token a client presents, listed and revoked per account.
 */
@ApplicationScoped
public class ApiTokens {

    /** Every token starts so, which makes a leaked one easy to find in code and logs (secret scanners). */
    public static final String PREFIX = "crt_";

    /** Last-used times are written at most this often. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    /** A new token: shown once, never stored. */
    public record Issued(long id, String token, TokenView view) {
    }

    /** What the token list shows. */
    public record TokenView(long id, String name, String prefix, List<String> scopes, Instant createdAt,
                            Instant expiresAt, Instant lastUsedAt) {
        static TokenView of(ApiToken t) {
            return new TokenView(t.id, t.name, t.tokenPrefix, Arrays.asList(t.scopes.split(",")), t.createdAt,
                    t.expiresAt, t.lastUsedAt);
        }
    }

    /** A valid token and its account. */
    public record Valid(long tokenId, long userId, String email, String role, Set<ApiScope> scopes,
                        Instant expiresAt) {
    }

    private final SecureRandom random = new SecureRandom();

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Transactional
    public Issued issue(long userId, String name, Set<ApiScope> scopes, Instant expiresAt) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiToken row = new ApiToken();
        row.adminUserId = userId;
        row.name = name;
        row.tokenHash = Sha256.of(token);
        row.tokenPrefix = token.substring(0, PREFIX.length() + 8);
        row.scopes = EnumSet.copyOf(scopes).stream().map(ApiScope::wireName).collect(Collectors.joining(","));
        row.createdAt = clock.instant();
        row.expiresAt = expiresAt;
        em.persist(row);
        return new Issued(row.id, token, TokenView.of(row));
    }

    @Transactional
    public List<TokenView> list(long userId) {
        return em.createQuery("select t from ApiToken t where t.adminUserId = :user order by t.id", ApiToken.class)
                .setParameter("user", userId).getResultList().stream().map(TokenView::of).toList();
    }

    /** Deletes one of the account's tokens; false when it has none with that id. */
    @Transactional
    public boolean revoke(long userId, long tokenId) {
        return em.createQuery("delete from ApiToken t where t.id = :id and t.adminUserId = :user")
                .setParameter("id", tokenId).setParameter("user", userId).executeUpdate() > 0;
    }

    /** The token a client presented, if it exists and has not expired; notes when it was used. */
    @Transactional
    public Optional<Valid> find(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        List<Object[]> rows = em.createQuery("""
                        select t, u from ApiToken t, AdminUser u
                        where t.tokenHash = :hash and u.id = t.adminUserId
                          and (t.expiresAt is null or t.expiresAt > :now)""", Object[].class)
                .setParameter("hash", Sha256.of(token)).setParameter("now", now).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        ApiToken row = (ApiToken) rows.get(0)[0];
        AdminUser user = (AdminUser) rows.get(0)[1];
        if (row.lastUsedAt == null || row.lastUsedAt.isBefore(now.minus(TOUCH_EVERY))) {
            row.lastUsedAt = now;
        }
        Set<ApiScope> scopes = EnumSet.noneOf(ApiScope.class);
        for (String name : row.scopes.split(",")) {
            ApiScope.parse(name).ifPresent(scopes::add);
        }
        return Optional.of(new Valid(row.id, user.id, user.email, user.role, scopes, row.expiresAt));
    }
}
