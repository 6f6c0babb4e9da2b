package io.carteiro.delivery;

import io.carteiro.delivery.throttle.SuspensionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's shared state beside the queue: one row per running instance with its heartbeat (times from the
 * database's clock, so replicas with skewed clocks agree on who is silent), and the suspended destinations.
 */
@ApplicationScoped
class InstanceRepository implements SuspensionStore {

    @Inject
    OutboundRepository queue;

    /** Writes this instance's heartbeat; false when its row is gone (another instance took it for dead). */
    boolean beat(String owner) {
        int[] updated = new int[1];
        queue.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE delivery_instance SET heartbeat_at = UTC_TIMESTAMP(6) WHERE id = ?")) {
                s.setString(1, owner);
                updated[0] = s.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("could not write the heartbeat of " + owner, e);
            }
        });
        return updated[0] > 0;
    }

    void register(String owner, String host, long pid) {
        queue.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO delivery_instance (id, host, pid, started_at, heartbeat_at)
                    VALUES (?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))
                    ON DUPLICATE KEY UPDATE heartbeat_at = UTC_TIMESTAMP(6)""")) {
                s.setString(1, owner);
                s.setString(2, host);
                s.setLong(3, pid);
                s.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("could not register " + owner, e);
            }
        });
    }

    void remove(String owner) {
        queue.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM delivery_instance WHERE id = ?")) {
                s.setString(1, owner);
                s.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("could not remove " + owner, e);
            }
        });
    }

    /** Instances whose heartbeat is fresher than {@code timeout} (at least this one, so never 0). */
    int live(Duration timeout) {
        int[] count = new int[1];
        queue.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM delivery_instance"
                    + " WHERE heartbeat_at > UTC_TIMESTAMP(6) - INTERVAL ? MICROSECOND")) {
                s.setLong(1, timeout.toNanos() / 1000);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    count[0] = r.getInt(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not count the live instances", e);
            }
        });
        return Math.max(1, count[0]);
    }

    /** Instances silent for longer than {@code timeout}, other than {@code self}. */
    List<String> silent(Duration timeout, String self) {
        List<String> silent = new ArrayList<>();
        queue.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM delivery_instance"
                    + " WHERE heartbeat_at < UTC_TIMESTAMP(6) - INTERVAL ? MICROSECOND AND id <> ?")) {
                s.setLong(1, timeout.toNanos() / 1000);
                s.setString(2, self);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        silent.add(r.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not find silent instances", e);
            }
        });
        return silent;
    }

    @Override
    public void suspend(String destination, Instant until, String reason) {
        queue.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO destination_suspension (destination, suspended_until, reason, created_at)
                    VALUES (?, ?, ?, UTC_TIMESTAMP(6))
                    ON DUPLICATE KEY UPDATE suspended_until = GREATEST(suspended_until, VALUES(suspended_until)),
                        reason = VALUES(reason)""")) {
                s.setString(1, destination.length() > 300 ? destination.substring(0, 300) : destination);
                s.setTimestamp(2, Timestamp.from(until));
                s.setString(3, OutboundRepository.truncate(reason));
                s.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("could not store the suspension of " + destination, e);
            }
        });
    }

    @Override
    public Map<String, Instant> active(Instant now) {
        Map<String, Instant> active = new HashMap<>();
        queue.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT destination, suspended_until"
                    + " FROM destination_suspension WHERE suspended_until > ?")) {
                s.setTimestamp(1, Timestamp.from(now));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        active.put(r.getString(1), r.getTimestamp(2).toInstant());
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not read the suspensions", e);
            }
        });
        return active;
    }

    /** Forgets suspensions that ended before {@code before}. */
    void dropEndedSuspensions(Instant before) {
        queue.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM destination_suspension WHERE suspended_until < ?")) {
                s.setTimestamp(1, Timestamp.from(before));
                s.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop ended suspensions", e);
            }
        });
    }
}
