package io.carteiro.admin;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a request for a new API token (from the API or the token page) and issues it. A token may ask for another
 * only within its own power: no scope it lacks, no life longer than its own.
 */
@ApplicationScoped
public class TokenIssuer {

    static final int MAX_NAME = 100;

    /** What a request for a token came to. */
    public sealed interface Outcome permits Issued, Invalid, Refused {
    }

    public record Issued(ApiTokens.Issued token) implements Outcome {
    }

    /** The request is wrong: which field and why. */
    public record Invalid(String field, String message) implements Outcome {
    }

    /** The caller may not have such a token. */
    public record Refused(String message) implements Outcome {
    }

    @Inject
    ApiTokens tokens;

    @Inject
    Clock clock;

    public Outcome issue(SecurityIdentity caller, String name, List<String> scopeNames, Instant expiresAt) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty()) {
            return new Invalid("name", "name is required");
        }
        if (trimmed.length() > MAX_NAME) {
            return new Invalid("name", "name is longer than " + MAX_NAME + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            return new Invalid("name", "name contains control characters");
        }
        if (scopeNames == null || scopeNames.isEmpty()) {
            return new Invalid("scopes", "scopes is required: one or more of read, write, send");
        }
        Set<ApiScope> scopes = EnumSet.noneOf(ApiScope.class);
        for (String scopeName : scopeNames) {
            ApiScope scope = scopeName == null ? null : ApiScope.parse(scopeName.strip()).orElse(null);
            if (scope == null) {
                return new Invalid("scopes", "'" + scopeName + "' is not a scope: use read, write or send");
            }
            scopes.add(scope);
        }
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            return new Invalid("expiresAt", "expiresAt " + expiresAt + " is not in the future");
        }
        Set<ApiScope> own = caller.getAttribute(ApiTokenIdentityProvider.SCOPES);
        if (own != null && !own.containsAll(scopes)) {
            return new Refused("a token cannot make a token with scopes it lacks");
        }
        ApiTokens.Valid callerToken = caller.getAttribute(ApiTokenIdentityProvider.TOKEN);
        if (callerToken != null && callerToken.expiresAt() != null
                && (expiresAt == null || expiresAt.isAfter(callerToken.expiresAt()))) {
            return new Refused("a token cannot make a token that outlives it (it expires "
                    + callerToken.expiresAt() + ")");
        }
        long userId = caller.<Long>getAttribute(SessionIdentityProvider.USER_ID);
        return new Issued(tokens.issue(userId, trimmed, scopes, expiresAt));
    }
}
