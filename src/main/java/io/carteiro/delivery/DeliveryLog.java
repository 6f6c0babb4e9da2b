package io.carteiro.delivery;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read side of the queue for people: one message with every attempt, recent messages, counts by state. */
@ApplicationScoped
class DeliveryLog {

    /** One message and its attempts, as the API and the admin pages show it. */
    record MessageStatus(long id, String state, String to, String from, String messageId, Long campaignId,
                         Long subscriberId, Instant createdAt, Instant nextAttemptAt, Instant sentAt,
                         Integer lastCode, String lastEnhancedStatus, String lastReply, String lastMx,
                         List<Attempt> attempts) {
    }

    /**
     * One attempt of a message: the server's reply text and the command it answered ({@code MAIL FROM}, {@code RCPT
     * TO}, {@code DATA}, {@code end of DATA}, or a session phase such as {@code greeting} or {@code STARTTLS}).
     */
    record Attempt(Instant at, String exchanger, String ip, Integer code, String enhancedStatus, String reply,
                   String command, String outcome, boolean tls) {
    }

    @Inject
    AgroalDataSource dataSource;

    Optional<MessageStatus> find(long id) {
        List<MessageStatus> found = query("WHERE id = ?", id, 1);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        MessageStatus m = found.get(0);
        return Optional.of(new MessageStatus(m.id(), m.state(), m.to(), m.from(), m.messageId(), m.campaignId(),
                m.subscriberId(), m.createdAt(), m.nextAttemptAt(), m.sentAt(), m.lastCode(),
                m.lastEnhancedStatus(), m.lastReply(), m.lastMx(), attempts(id)));
    }

    /** The newest messages, optionally only those to one recipient domain. */
    List<MessageStatus> recent(int limit) {
        return query("", null, limit);
    }

    /** How many messages are in each state. */
    Map<String, Long> countsByState() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String state : List.of("queued", "sending", "deferred", "sent", "bounced", "failed", "cancelled")) {
            counts.put(state, 0L);
        }
        try (Connection c = dataSource.getConnection();
             ResultSet r = c.createStatement().executeQuery(
                     "SELECT state, COUNT(*) FROM outbound_message GROUP BY state")) {
            while (r.next()) {
                counts.put(r.getString(1), r.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not count queued messages", e);
        }
        return counts;
    }

    private List<MessageStatus> query(String where, Long id, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     SELECT id, state, recipient, sender, message_id, campaign_id, subscriber_id, created_at,
                            next_attempt_at, sent_at, last_code, last_enhanced_status, last_reply, last_mx
                     FROM outbound_message %s ORDER BY id DESC LIMIT ?""".formatted(where))) {
            int i = 1;
            if (id != null) {
                s.setLong(i++, id);
            }
            s.setInt(i, limit);
            List<MessageStatus> found = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.add(new MessageStatus(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), nullableLong(r, 6), nullableLong(r, 7), instant(r.getTimestamp(8)),
                            instant(r.getTimestamp(9)), instant(r.getTimestamp(10)), nullableInt(r, 11),
                            r.getString(12), r.getString(13), r.getString(14), List.of()));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read queued messages", e);
        }
    }

    private List<Attempt> attempts(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     SELECT attempted_at, exchanger, exchanger_ip, code, enhanced_status, reply, command, outcome,
                            tls
                     FROM delivery_attempt WHERE outbound_message_id = ? ORDER BY id""")) {
            s.setLong(1, id);
            List<Attempt> attempts = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    attempts.add(new Attempt(instant(r.getTimestamp(1)), r.getString(2), r.getString(3),
                            nullableInt(r, 4), r.getString(5), r.getString(6), r.getString(7), r.getString(8),
                            r.getBoolean(9)));
                }
            }
            return attempts;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read delivery attempts", e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Long nullableLong(ResultSet r, int column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? null : v;
    }

    private static Integer nullableInt(ResultSet r, int column) throws SQLException {
        int v = r.getInt(column);
        return r.wasNull() ? null : v;
    }
}
