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
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The engine's SQL on the queue: claiming due rows with {@code FOR UPDATE SKIP LOCKED} and a lease, writing
 * outcomes back as JDBC batches, giving claims back, renewing them. Claims and releases are their own short
 * transactions; outcome writes run in the caller's (the group commit's).
 */
@ApplicationScoped
class OutboundRepository {

    static final int REPLY_LIMIT = 1000;
    /** Claims skip at most this many saturated destinations by name (the rest are skipped when they arrive). */
    static final int EXCLUDED_LIMIT = 100;

    @Inject
    AgroalDataSource dataSource;

    /**
     * Claims up to {@code limit} due rows (transactional mail first) for {@code owner} until {@code now + lease},
     * leaving out the recipient domains in {@code skip}. Rows locked by another sender are skipped, never waited
     * for; a deadlock victim is re-run. A row this owner still holds is never claimed again, even when its lease ran
     * out during a database outage longer than the lease: the instance has it in memory or its outcome waits in the
     * journal, and taking it again would send it twice.
     */
    List<OutboundRow> claimDue(String owner, Instant now, Duration lease, int limit, Collection<String> skip) {
        List<String> excluded = skip.stream().limit(EXCLUDED_LIMIT).toList();
        String notIn = excluded.isEmpty() ? "" : " AND recipient_domain NOT IN ("
                + String.join(",", Collections.nCopies(excluded.size(), "?")) + ")";
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
                            WHERE priority = ? AND next_attempt_at <= ?%s
                              AND NOT (state = 'sending' AND lease_owner <=> ?)
                            ORDER BY next_attempt_at
                            LIMIT ?
                            FOR UPDATE SKIP LOCKED""".formatted(notIn))) {
                        int i = 1;
                        select.setInt(i++, priority);
                        select.setTimestamp(i++, Timestamp.from(now));
                        for (String domain : excluded) {
                            select.setString(i++, domain);
                        }
                        select.setString(i++, owner);
                        select.setInt(i, limit - rows.size());
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
     * Writes settled messages in the caller's transaction and returns those that applied. An entry applies while its
     * row is unsettled and still held by the claim the entry came from (the entry's owner, and as many attempts as
     * when it was claimed); a delivery applies to an unsettled row whoever holds it, because the message did arrive
     * (its claim may have been released while the database was away). Writing the same entries twice changes
     * nothing the second time, which is what replaying the journal relies on.
     */
    List<OutcomeEntry> write(List<OutcomeEntry> entries) {
        try (Connection c = dataSource.getConnection()) {
            Map<Long, Claim> unsettled = lockUnsettled(c, entries);
            List<OutcomeEntry> applied = new ArrayList<>(entries.size());
            for (OutcomeEntry e : entries) {
                Claim claim = unsettled.get(e.id());
                if (claim != null && (e.kind() == OutcomeKind.DELIVERED || e.owner().equals(claim.owner())
                        && claim.attempts() == e.result().row().attempts())) {
                    applied.add(e);
                }
            }
            if (applied.isEmpty()) {
                return applied;
            }
            try (PreparedStatement update = c.prepareStatement("""
                    UPDATE outbound_message SET state = ?, attempts = attempts + ?, next_attempt_at = ?,
                           lease_owner = NULL, lease_until = NULL, last_code = ?, last_enhanced_status = ?,
                           last_reply = ?, last_mx = ?, sent_at = ?, message_id = COALESCE(message_id, ?)
                    WHERE id = ?""")) {
                for (OutcomeEntry e : applied) {
                    AttemptRecord last = e.result().last();
                    update.setString(1, e.state());
                    update.setInt(2, e.result().counted() ? 1 : 0);
                    setTimestamp(update, 3, e.nextAttempt());
                    setInt(update, 4, last.code());
                    update.setString(5, last.enhancedStatus());
                    update.setString(6, truncate(e.text()));
                    update.setString(7, last.exchanger());
                    setTimestamp(update, 8, e.kind() == OutcomeKind.DELIVERED ? last.at() : null);
                    update.setString(9, e.result().messageId());
                    update.setLong(10, e.id());
                    update.addBatch();
                }
                update.executeBatch();
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO delivery_attempt (outbound_message_id, attempted_at, exchanger, exchanger_ip, code,
                        enhanced_status, reply, command, outcome, tls)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                int count = 0;
                for (OutcomeEntry e : applied) {
                    for (AttemptRecord a : e.result().attempts()) {
                        insert.setLong(1, e.id());
                        insert.setTimestamp(2, Timestamp.from(a.at()));
                        insert.setString(3, a.exchanger());
                        insert.setString(4, a.exchangerIp());
                        setInt(insert, 5, a.code());
                        insert.setString(6, a.enhancedStatus());
                        insert.setString(7, truncate(a.reply()));
                        insert.setString(8, a.command());
                        insert.setString(9, a.kind().column());
                        insert.setBoolean(10, a.tls());
                        insert.addBatch();
                        count++;
                    }
                }
                if (count > 0) {
                    insert.executeBatch();
                }
            }
            return applied;
        } catch (SQLException e) {
            throw new IllegalStateException("could not record delivery outcomes", e);
        }
    }

    /** Who holds an unsettled row (owner null: nobody), and after how many attempts. */
    private record Claim(String owner, int attempts) {
    }

    /** Locks the entries' rows that are not settled yet and returns each one's claim. */
    private static Map<Long, Claim> lockUnsettled(Connection c, List<OutcomeEntry> entries) throws SQLException {
        Map<Long, Claim> owners = new HashMap<>();
        for (int from = 0; from < entries.size(); from += 500) {
            List<OutcomeEntry> part = entries.subList(from, Math.min(entries.size(), from + 500));
            try (PreparedStatement s = c.prepareStatement("SELECT id, lease_owner, attempts FROM outbound_message"
                    + " WHERE state IN ('queued', 'sending', 'deferred') AND id IN ("
                    + String.join(",", Collections.nCopies(part.size(), "?")) + ") FOR UPDATE")) {
                for (int i = 0; i < part.size(); i++) {
                    s.setLong(i + 1, part.get(i).id());
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        owners.put(r.getLong(1), new Claim(r.getString(2), r.getInt(3)));
                    }
                }
            }
        }
        return owners;
    }

    /**
     * Gives claims back at once: the rows of {@code ids} (all of the owner's when null) that {@code owner} still
     * holds become due at {@code at}, as they were before the claim (queued, or deferred after earlier attempts).
     */
    int release(String owner, Collection<Long> ids, Instant at) {
        if (ids != null && ids.isEmpty()) {
            return 0;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                if (ids == null) {
                    try (PreparedStatement s = c.prepareStatement(RELEASE + """
                             WHERE priority IN (0, 1) AND next_attempt_at > ? AND lease_owner = ?
                               AND state = 'sending'""")) {
                        s.setTimestamp(1, Timestamp.from(at));
                        s.setTimestamp(2, Timestamp.from(at));
                        s.setString(3, owner);
                        return s.executeUpdate();
                    }
                }
                int released = 0;
                try (PreparedStatement s = c.prepareStatement(RELEASE
                        + " WHERE id = ? AND lease_owner = ? AND state = 'sending'")) {
                    for (long id : ids) {
                        s.setTimestamp(1, Timestamp.from(at));
                        s.setLong(2, id);
                        s.setString(3, owner);
                        s.addBatch();
                    }
                    for (int n : s.executeBatch()) {
                        released += Math.max(0, n);
                    }
                }
                return released;
            } catch (SQLException e) {
                throw new IllegalStateException("could not release the claims of " + owner, e);
            }
        });
    }

    /**
     * Gives back every claim of {@code owner} except {@code keep}: rows whose outcome is known but not stored yet,
     * which stay claimed until the journal that holds them is replayed.
     */
    int releaseAllBut(String owner, Set<Long> keep, Instant at) {
        if (keep.isEmpty()) {
            return release(owner, null, at);
        }
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     SELECT id FROM outbound_message
                     WHERE priority IN (0, 1) AND next_attempt_at > ? AND lease_owner = ? AND state = 'sending'""")) {
            s.setTimestamp(1, Timestamp.from(at));
            s.setString(2, owner);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the claims of " + owner, e);
        }
        ids.removeAll(keep);
        return release(owner, ids, at);
    }

    private static final String RELEASE = """
            UPDATE outbound_message SET state = IF(attempts > 0, 'deferred', 'queued'), lease_owner = NULL,
                   lease_until = NULL, next_attempt_at = ?""";

    /**
     * Renews the owner's claims that end within {@code lease / 2}, so messages it holds in memory (a slow
     * destination's queue) never become due elsewhere while it lives. Only rows claimed now are in that range of the
     * due index, so the update reads little.
     */
    int renew(String owner, Instant now, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement s = c.prepareStatement("""
                         UPDATE outbound_message SET lease_until = ?, next_attempt_at = ?
                         WHERE priority IN (0, 1) AND next_attempt_at > ? AND next_attempt_at < ?
                           AND lease_owner = ? AND state = 'sending'""")) {
                Timestamp until = Timestamp.from(now.plus(lease));
                s.setTimestamp(1, until);
                s.setTimestamp(2, until);
                s.setTimestamp(3, Timestamp.from(now));
                s.setTimestamp(4, Timestamp.from(now.plus(lease.dividedBy(2))));
                s.setString(5, owner);
                return s.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("could not renew the claims of " + owner, e);
            }
        });
    }

    /** Whether the database answers within two seconds. */
    boolean answers() {
        try {
            // asked after a failure: pooled connections to a server that died are dropped, so that the next call
            // gets a sound one (the driver fails over to the next server of the URL on a new connection)
            dataSource.flush(AgroalDataSource.FlushMode.INVALID);
        } catch (RuntimeException e) {
            return false;
        }
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
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

    /** Runs {@code work} with a connection of its own transaction (for the engine's small side tables). */
    void inTransaction(Consumer<Connection> work) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                work.accept(c);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
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
