package io.carteiro.engagement;

import io.agroal.api.AgroalDataSource;
import io.carteiro.delivery.DeliveryOutcome;
import io.carteiro.delivery.DeliveryOutcomeListener;
import io.carteiro.lists.Tracking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.carteiro.engagement.HitStore.utc;

/**
 * Counts campaign messages' final delivery outcomes per recipient domain and per hour, and, on lists tracked per
 * subscriber, when each subscription was last delivered and how many messages since its last human engagement.
 * Called in the engine's transaction with every batch of outcomes, so the counts commit or roll back with them;
 * one upsert per table per batch, rows in key order.
 */
@ApplicationScoped
class DeliveryCounts implements DeliveryOutcomeListener {

    /** Final outcomes of one campaign at one domain. */
    private static final class DomainCounts {
        long delivered;
        long bounced;
        long blocked;
        long failed;
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ListModes modes;

    @Override
    @Transactional
    public void onFinalOutcomes(List<DeliveryOutcome> outcomes) {
        Map<Tally.DomainKey, DomainCounts> domains = new TreeMap<>();
        Map<Tally.HourKey, long[]> hours = new TreeMap<>();
        Map<Tally.SubscriptionKey, Instant> delivered = new TreeMap<>();
        for (DeliveryOutcome o : outcomes) {
            if (o.campaignId() == null) {
                continue;
            }
            DomainCounts d = domains.computeIfAbsent(new Tally.DomainKey(o.campaignId(),
                    ClickTracking.domainOf(o.recipient())), k -> new DomainCounts());
            switch (o.kind()) {
                case DELIVERED -> {
                    d.delivered++;
                    hours.computeIfAbsent(new Tally.HourKey(o.campaignId(), o.at().truncatedTo(ChronoUnit.HOURS)),
                            k -> new long[1])[0]++;
                    if (o.subscriberId() != null && o.listId() != null
                            && modes.of(o.listId()).tracking() == Tracking.SUBSCRIBER) {
                        delivered.merge(new Tally.SubscriptionKey(o.listId(), o.subscriberId()), o.at(),
                                (a, b) -> a.isAfter(b) ? a : b);
                    }
                }
                case BOUNCED -> d.bounced++;
                case BLOCKED -> d.blocked++;
                case DEFERRED -> {
                    // never final; listeners are not told of deferrals
                }
                default -> d.failed++;
            }
        }
        if (domains.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            write(c, domains, hours, delivered);
        } catch (SQLException e) {
            throw new IllegalStateException("could not count delivery outcomes", e);
        }
    }

    private static void write(Connection c, Map<Tally.DomainKey, DomainCounts> domains,
                              Map<Tally.HourKey, long[]> hours, Map<Tally.SubscriptionKey, Instant> delivered)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO campaign_domain_stat (campaign_id, domain, delivered, bounced, blocked, failed)
                VALUES (?, ?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE delivered = delivered + VALUES(delivered), bounced = bounced + VALUES(bounced),
                    blocked = blocked + VALUES(blocked), failed = failed + VALUES(failed)""")) {
            for (Map.Entry<Tally.DomainKey, DomainCounts> e : domains.entrySet()) {
                s.setLong(1, e.getKey().campaignId());
                s.setString(2, e.getKey().domain());
                s.setLong(3, e.getValue().delivered);
                s.setLong(4, e.getValue().bounced);
                s.setLong(5, e.getValue().blocked);
                s.setLong(6, e.getValue().failed);
                s.addBatch();
            }
            s.executeBatch();
        }
        if (!hours.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO campaign_timeline (campaign_id, hour, delivered) VALUES (?, ?, ?)
                    ON DUPLICATE KEY UPDATE delivered = delivered + VALUES(delivered)""")) {
                for (Map.Entry<Tally.HourKey, long[]> e : hours.entrySet()) {
                    s.setLong(1, e.getKey().campaignId());
                    s.setObject(2, utc(e.getKey().hour()));
                    s.setLong(3, e.getValue()[0]);
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        if (!delivered.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO subscription_engagement (list_id, subscriber_id, first_delivered_at,
                                                         last_delivered_at, delivered_since_human)
                    VALUES (?, ?, ?, ?, ?)
                    ON DUPLICATE KEY UPDATE first_delivered_at = COALESCE(first_delivered_at, VALUES(first_delivered_at)),
                        last_delivered_at = VALUES(last_delivered_at),
                        delivered_since_human = delivered_since_human + 1""")) {
                for (Map.Entry<Tally.SubscriptionKey, Instant> e : delivered.entrySet()) {
                    s.setLong(1, e.getKey().listId());
                    s.setLong(2, e.getKey().subscriberId());
                    s.setObject(3, utc(e.getValue()));
                    s.setObject(4, utc(e.getValue()));
                    // bound, not a literal: the driver's batch rewrite miscounts values with a constant among them
                    s.setInt(5, 1);
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
    }
}
