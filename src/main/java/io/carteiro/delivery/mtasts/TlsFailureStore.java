package io.carteiro.delivery.mtasts;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The table {@code tls_policy_failure}: failed policy checks per UTC day, as TLS-RPT (RFC 8460) reports them. */
@ApplicationScoped
class TlsFailureStore {

    private static final int DETAIL_LENGTH = 500;

    /** One (day, domain, policy type, result type, MX) count. */
    record DailyFailures(LocalDate day, String domain, String policyType, String resultType, String mxHost,
                         long failures, Instant firstAt, Instant lastAt, String lastDetail) {
    }

    @Inject
    AgroalDataSource dataSource;

    /** Adds counts in one batch; a row that exists already has its count raised. */
    void add(Collection<DailyFailures> counts) {
        if (counts.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO tls_policy_failure (report_date, domain, policy_type, result_type, mx_host, failures,
                                                first_at, last_at, last_detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE failures = failures + VALUES(failures),
                    first_at = LEAST(first_at, VALUES(first_at)), last_at = GREATEST(last_at, VALUES(last_at)),
                    last_detail = VALUES(last_detail)""")) {
            for (DailyFailures f : counts) {
                s.setDate(1, Date.valueOf(f.day()));
                s.setString(2, f.domain());
                s.setString(3, f.policyType());
                s.setString(4, f.resultType());
                s.setString(5, f.mxHost());
                s.setLong(6, f.failures());
                s.setTimestamp(7, Timestamp.from(f.firstAt()));
                s.setTimestamp(8, Timestamp.from(f.lastAt()));
                String detail = f.lastDetail();
                s.setString(9, detail == null || detail.length() <= DETAIL_LENGTH ? detail
                        : detail.substring(0, DETAIL_LENGTH));
                s.addBatch();
            }
            s.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record TLS policy failures", e);
        }
    }

    /** Drops the days before {@code day}: reports are daily, and a day's counts are old news once sent. */
    int deleteBefore(LocalDate day) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("DELETE FROM tls_policy_failure WHERE report_date < ?")) {
            s.setDate(1, Date.valueOf(day));
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not prune TLS policy failures", e);
        }
    }

    /** The counts of one policy domain from {@code since} on, newest day first. */
    List<DailyFailures> forDomain(String domain, LocalDate since) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT report_date, policy_type, result_type, mx_host, failures, first_at, last_at, last_detail
                FROM tls_policy_failure WHERE domain = ? AND report_date >= ?
                ORDER BY report_date DESC, result_type, mx_host""")) {
            s.setString(1, domain);
            s.setDate(2, Date.valueOf(since));
            List<DailyFailures> found = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.add(new DailyFailures(r.getDate(1).toLocalDate(), domain, r.getString(2), r.getString(3),
                            r.getString(4), r.getLong(5), r.getTimestamp(6).toInstant(),
                            r.getTimestamp(7).toInstant(), r.getString(8)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read TLS policy failures of " + domain, e);
        }
    }
}
