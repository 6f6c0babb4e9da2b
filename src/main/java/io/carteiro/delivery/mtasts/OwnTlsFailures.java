package io.carteiro.delivery.mtasts;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Carteiro's own TLS policy failures (what its TLS-RPT reports to the recipient domains say), summed per domain and
 * result since a day, for the deliverability desk to show beside the TLS reports receivers send about us.
 */
@ApplicationScoped
public class OwnTlsFailures {

    /** Failures towards one recipient domain of one result type. */
    public record Summary(String domain, String policyType, String resultType, long failures, String lastDetail) {
    }

    private final AgroalDataSource dataSource;

    OwnTlsFailures(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The largest counts since {@code since} (UTC day), at most {@code limit}. */
    public List<Summary> since(LocalDate since, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT domain, policy_type, result_type, SUM(failures), MAX(last_detail) FROM tls_policy_failure
                WHERE report_date >= ? GROUP BY domain, policy_type, result_type ORDER BY 4 DESC LIMIT ?""")) {
            s.setDate(1, Date.valueOf(since));
            s.setInt(2, limit);
            List<Summary> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Summary(r.getString(1), r.getString(2), r.getString(3), r.getLong(4),
                            r.getString(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the TLS policy failures", e);
        }
    }
}
