package io.carteiro.delivery;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's SQL: claiming due rows with {@code FOR UPDATE SKIP LOCKED} and a lease, and writing outcomes back
 * as JDBC batches. Each method is its own short transaction.
 */
@ApplicationScoped
class OutboundRepository {

    static final int REPLY_LIMIT = 1000;

    @Inject
    AgroalDataSource dataSource;

    /**
     * Claims up to {@code limit} due rows (transactional mail first) for {@code owner} until {@code now + lease}.
     * Rows locked by another sender are skipped, never waited for; a deadlock victim is re-run.
     */
    List<OutboundRow> claimDue(String owner, Instant now, Duration lease, int limit) {
        return DeadlockRetry.call(() -> QuarkusTransaction.requiringNew().call(() -> {
            List<OutboundRow> rows = new ArrayList<>();
            try (Connection c = dataSource.getConnection()) {
                for (int priority : new int[]{OutboundQueue.TRANSACTIONAL_PRIORITY, 0}) {
                    if (rows.size() >= limit) {
                        break;
                    }
                    try (PreparedStatement select = c.prepareStatement("""
                            SELECT id, campaign_id, subscriber_id, list_id, recipient, recipient_domain, sender,
                                   message_id, attempts, created_at, expires_at
                            FROM outbound_message
                            WHERE priority = ? AND next_attempt_at <= ?
                            ORDER BY next_attempt_at
                            LIMIT ?
                            FOR UPDATE SKIP LOCKED""")) {
                        select.setInt(1, priority);
                        select.setTimestamp(2, Timestamp.from(now));
                        select.setInt(3, limit - rows.size());
                        try (ResultSet r = select.executeQuery()) {
                            while (r.next()) {
                                rows.add(new OutboundRow(r.getLong(1), nullableLong(r, 2), nullableLong(r, 3),
                                        nullableLong(r, 4), r.getString(5), r.getString(6), r.getString(7),
                                        r.getString(8), r.getInt(9), r.getTimestamp(10).toInstant(),
                                        r.getTimestamp(11) == null ? null : r.getTimestamp(11).toInstant()));
                            }
                        }
                    }
                }
                if (!rows.isEmpty()) {
                    Timestamp until = Timestamp.from(now.plus(lease));
                    try (PreparedStatement claim = c.prepareStatement("""
                            UPDATE outbound_message SET state = 'sending', lease_owner = ?, lease_until = ?,
                                   next_attempt_at = ?
                            WHERE id = ?""")) {
                        for (OutboundRow row : rows) {
                            claim.setString(1, owner);
                            claim.setTimestamp(2, until);
                            claim.setTimestamp(3, until);
                            claim.setLong(4, row.id());
                            claim.addBatch();
                        }
                        claim.executeBatch();
                    }
                }
            }
            return rows;
        }));
    }

    /**
     * Writes the results of one delivery run: each row's new state and last reply (only while {@code owner} still
     * holds its lease) and every attempt. A deadlock victim is re-run (see {@link DeadlockRetry}).
     *
     * @param next       per result, the next attempt time (deferred) or null (final)
     * @param alsoInside run after the writes, inside their transaction (the outcome listeners)
     */
    void record(String owner, List<MessageResult> results, List<String> states, List<Instant> next,
                Runnable alsoInside) {
        if (results.isEmpty()) {
            return;
        }
        DeadlockRetry.run(() -> QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement update = c.prepareStatement("""
                        UPDATE outbound_message SET state = ?, attempts = attempts + ?, next_attempt_at = ?,
                               lease_owner = NULL, lease_until = NULL, last_code = ?, last_enhanced_status = ?,
                               last_reply = ?, last_mx = ?, sent_at = ?, message_id = COALESCE(message_id, ?)
                        WHERE id = ? AND lease_owner = ?""")) {
                    for (int i = 0; i < results.size(); i++) {
                        MessageResult result = results.get(i);
                        AttemptRecord last = result.last();
                        update.setString(1, states.get(i));
                        update.setInt(2, result.counted() ? 1 : 0);
                        setTimestamp(update, 3, next.get(i));
                        setInt(update, 4, last.code());
                        update.setString(5, last.enhancedStatus());
                        update.setString(6, truncate(last.reply()));
                        update.setString(7, last.exchanger());
                        setTimestamp(update, 8, last.kind() == OutcomeKind.DELIVERED ? last.at() : null);
                        update.setString(9, result.messageId());
                        update.setLong(10, result.row().id());
                        update.setString(11, owner);
                        update.addBatch();
                    }
                    update.executeBatch();
                }
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO delivery_attempt (outbound_message_id, attempted_at, exchanger, exchanger_ip, code,
                            enhanced_status, reply, outcome, tls)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    int count = 0;
                    for (MessageResult result : results) {
                        for (AttemptRecord a : result.attempts()) {
                            insert.setLong(1, a.outboundMessageId());
                            insert.setTimestamp(2, Timestamp.from(a.at()));
                            insert.setString(3, a.exchanger());
                            insert.setString(4, a.exchangerIp());
                            setInt(insert, 5, a.code());
                            insert.setString(6, a.enhancedStatus());
                            insert.setString(7, truncate(a.reply()));
                            insert.setString(8, a.kind().column());
                            insert.setBoolean(9, a.tls());
                            insert.addBatch();
                            count++;
                        }
                    }
                    if (count > 0) {
                        insert.executeBatch();
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not record delivery outcomes", e);
            }
            alsoInside.run();
        }));
    }

    /** Messages waiting to be sent (queued, deferred or being sent). */
    long depth() {
        try (Connection c = dataSource.getConnection();
             ResultSet r = c.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM outbound_message WHERE next_attempt_at IS NOT NULL")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    static String truncate(String s) {
        return s == null || s.length() <= REPLY_LIMIT ? s : s.substring(0, REPLY_LIMIT);
    }

    private static Long nullableLong(ResultSet r, int column) throws SQLException {
        long value = r.getLong(column);
        return r.wasNull() ? null : value;
    }

    private static void setTimestamp(PreparedStatement s, int index, Instant value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.TIMESTAMP);
        } else {
            s.setTimestamp(index, Timestamp.from(value));
        }
    }

    private static void setInt(PreparedStatement s, int index, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.SMALLINT);
        } else {
            s.setInt(index, value);
        }
    }
}
