package io.carteiro.campaigns;

import io.agroal.api.AgroalDataSource;
import io.carteiro.delivery.QueueFilling;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The queue fills while a campaign's recipients are being queued: at once on the instance whose starter is at work,
 * and on every instance sharing the database while some campaign still has a range cursor ({@code queue_end}), read
 * at most every {@link #RECHECK}.
 */
@ApplicationScoped
class CampaignQueueFilling implements QueueFilling {

    static final Duration RECHECK = Duration.ofMillis(500);

    @Inject
    AgroalDataSource dataSource;

    private final AtomicInteger startersHere = new AtomicInteger();
    private volatile long checkedAt = System.nanoTime() - RECHECK.toNanos();
    private volatile boolean inDatabase;

    @Override
    public boolean filling() {
        if (startersHere.get() > 0) {
            return true;
        }
        long now = System.nanoTime();
        if (now - checkedAt >= RECHECK.toNanos()) {
            checkedAt = now;
            inDatabase = anyCampaignQueueing();
        }
        return inDatabase;
    }

    /** This instance starts queueing a campaign's ranges. */
    void begin() {
        startersHere.incrementAndGet();
    }

    /** This instance is done queueing (or gave up); the next question reads the database again. */
    void end() {
        startersHere.decrementAndGet();
        checkedAt = System.nanoTime() - RECHECK.toNanos();
    }

    private boolean anyCampaignQueueing() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT 1 FROM campaign WHERE queue_end IS NOT NULL LIMIT 1");
             ResultSet r = s.executeQuery()) {
            return r.next();
        } catch (SQLException e) {
            return false; // the engine then sends at its full pace, as it would without campaigns
        }
    }
}
