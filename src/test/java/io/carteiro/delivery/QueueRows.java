package io.carteiro.delivery;

import io.agroal.api.AgroalDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads queue rows and their attempts straight from the database, for assertions. */
final class QueueRows {

    record Row(String state, int attempts, Instant nextAttemptAt, Integer lastCode, String lastEnhancedStatus,
               String lastReply, String lastMx, String messageId, Instant sentAt) {
    }

    record Attempt(String exchanger, String exchangerIp, Integer code, String enhancedStatus, String reply,
                   String outcome, boolean tls, String command) {
    }

    private final AgroalDataSource dataSource;

    QueueRows(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    Row row(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     SELECT state, attempts, next_attempt_at, last_code, last_enhanced_status, last_reply, last_mx,
                            message_id, sent_at FROM outbound_message WHERE id = ?""")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                int code = r.getInt(4);
                Integer lastCode = r.wasNull() ? null : code;
                return new Row(r.getString(1), r.getInt(2), instant(r.getTimestamp(3)), lastCode, r.getString(5),
                        r.getString(6), r.getString(7), r.getString(8), instant(r.getTimestamp(9)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Attempt> attempts(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     SELECT exchanger, exchanger_ip, code, enhanced_status, reply, outcome, tls, command
                     FROM delivery_attempt WHERE outbound_message_id = ? ORDER BY id""")) {
            s.setLong(1, id);
            List<Attempt> attempts = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int code = r.getInt(3);
                    attempts.add(new Attempt(r.getString(1), r.getString(2), r.wasNull() ? null : code,
                            r.getString(4), r.getString(5), r.getString(6), r.getBoolean(7), r.getString(8)));
                }
            }
            return attempts;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String sql) {
        try (Connection c = dataSource.getConnection(); var r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void execute(String sql) {
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
