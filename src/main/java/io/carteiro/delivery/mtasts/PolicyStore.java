package io.carteiro.delivery.mtasts;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The table {@code mta_sts_policy}: the policy cache shared by every replica and kept across restarts. */
@ApplicationScoped
class PolicyStore {

    private static final int ERROR_LENGTH = 500;

    @Inject
    AgroalDataSource dataSource;

    Optional<CachedPolicy> find(String domain) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     SELECT policy_id, mode, mx_patterns, max_age_seconds, fetched_at, expires_at, checked_at,
                            last_error, last_error_at
                     FROM mta_sts_policy WHERE domain = ?""")) {
            s.setString(1, domain);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                Optional<StsPolicy.Mode> mode = StsPolicy.Mode.fromWire(r.getString(2));
                if (mode.isEmpty()) {
                    return Optional.empty();
                }
                String patterns = r.getString(3);
                List<String> mx = patterns.isEmpty() ? List.of() : Arrays.asList(patterns.split("\n"));
                return Optional.of(new CachedPolicy(domain, r.getString(1), new StsPolicy(mode.get(), mx, r.getLong(4)),
                        instant(r.getTimestamp(5)), instant(r.getTimestamp(6)), instant(r.getTimestamp(7)),
                        r.getString(8), instant(r.getTimestamp(9))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the MTA-STS policy of " + domain, e);
        }
    }

    /** Stores a freshly fetched policy, replacing the one cached before (and clearing its last error). */
    void save(String domain, String id, StsPolicy policy, Instant now) {
        update("""
                INSERT INTO mta_sts_policy (domain, policy_id, mode, mx_patterns, max_age_seconds, fetched_at,
                                            expires_at, checked_at, last_error, last_error_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)
                ON DUPLICATE KEY UPDATE policy_id = VALUES(policy_id), mode = VALUES(mode),
                    mx_patterns = VALUES(mx_patterns), max_age_seconds = VALUES(max_age_seconds),
                    fetched_at = VALUES(fetched_at), expires_at = VALUES(expires_at),
                    checked_at = VALUES(checked_at), last_error = NULL, last_error_at = NULL""", s -> {
            s.setString(1, domain);
            s.setString(2, id);
            s.setString(3, policy.mode().wire());
            s.setString(4, String.join("\n", policy.mxPatterns()));
            s.setLong(5, policy.maxAgeSeconds());
            s.setTimestamp(6, Timestamp.from(now));
            s.setTimestamp(7, Timestamp.from(now.plusSeconds(policy.maxAgeSeconds())));
            s.setTimestamp(8, Timestamp.from(now));
        });
    }

    /** The TXT record was looked at and the cached policy still holds. */
    void checked(String domain, Instant now) {
        update("UPDATE mta_sts_policy SET checked_at = ? WHERE domain = ?", s -> {
            s.setTimestamp(1, Timestamp.from(now));
            s.setString(2, domain);
        });
    }

    /**
     * A refresh failed; the cached policy (if any) stays as it was until it expires. {@code checked_at} is left
     * alone, so other replicas try again on their own schedule rather than taking the failure as a fresh look.
     */
    void refreshFailed(String domain, String error, Instant now) {
        update("UPDATE mta_sts_policy SET last_error = ?, last_error_at = ? WHERE domain = ?", s -> {
            s.setString(1, error.length() <= ERROR_LENGTH ? error : error.substring(0, ERROR_LENGTH));
            s.setTimestamp(2, Timestamp.from(now));
            s.setString(3, domain);
        });
    }

    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private void update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the MTA-STS policy cache", e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
