package io.carteiro.engagement;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

import static io.carteiro.engagement.HitStore.utc;

/**
 * Adds to the report's counters ({@code campaign_engagement}, {@code tracked_link}, {@code campaign_domain_stat},
 * {@code campaign_timeline}, {@code subscription_engagement}) on the caller's transaction, one batched upsert per
 * table, rows in key order (so concurrent writers lock them in the same order and do not deadlock).
 */
@ApplicationScoped
class Counters {

    /** The engagement a settle batch judged. */
    void add(Connection c, Tally tally) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO campaign_engagement (campaign_id, human_clicks, machine_clicks, unique_human_clicks,
                                                 human_opens, machine_opens, unique_human_opens)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE human_clicks = human_clicks + VALUES(human_clicks),
                    machine_clicks = machine_clicks + VALUES(machine_clicks),
                    unique_human_clicks = unique_human_clicks + VALUES(unique_human_clicks),
                    human_opens = human_opens + VALUES(human_opens),
                    machine_opens = machine_opens + VALUES(machine_opens),
                    unique_human_opens = unique_human_opens + VALUES(unique_human_opens)""")) {
            for (Map.Entry<Long, Tally.CampaignDelta> e : tally.campaigns.entrySet()) {
                Tally.CampaignDelta d = e.getValue();
                s.setLong(1, e.getKey());
                s.setLong(2, d.humanClicks);
                s.setLong(3, d.machineClicks);
                s.setLong(4, d.uniqueHumanClicks);
                s.setLong(5, d.humanOpens);
                s.setLong(6, d.machineOpens);
                s.setLong(7, d.uniqueHumanOpens);
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE tracked_link SET human_clicks = human_clicks + ?, machine_clicks = machine_clicks + ?,
                                        unique_human = unique_human + ?
                WHERE campaign_id = ? AND link_no = ?""")) {
            for (Map.Entry<Tally.LinkKey, Tally.LinkDelta> e : tally.links.entrySet()) {
                s.setLong(1, e.getValue().human);
                s.setLong(2, e.getValue().machine);
                s.setLong(3, e.getValue().uniqueHuman);
                s.setLong(4, e.getKey().campaignId());
                s.setInt(5, e.getKey().linkNo());
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO campaign_domain_stat (campaign_id, domain, human_clicks, machine_clicks, human_opens)
                VALUES (?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE human_clicks = human_clicks + VALUES(human_clicks),
                    machine_clicks = machine_clicks + VALUES(machine_clicks),
                    human_opens = human_opens + VALUES(human_opens)""")) {
            for (Map.Entry<Tally.DomainKey, Tally.EngagementDelta> e : tally.domains.entrySet()) {
                s.setLong(1, e.getKey().campaignId());
                s.setString(2, e.getKey().domain());
                s.setLong(3, e.getValue().humanClicks);
                s.setLong(4, e.getValue().machineClicks);
                s.setLong(5, e.getValue().humanOpens);
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO campaign_timeline (campaign_id, hour, human_clicks, machine_clicks, human_opens,
                                               machine_opens)
                VALUES (?, ?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE human_clicks = human_clicks + VALUES(human_clicks),
                    machine_clicks = machine_clicks + VALUES(machine_clicks),
                    human_opens = human_opens + VALUES(human_opens),
                    machine_opens = machine_opens + VALUES(machine_opens)""")) {
            for (Map.Entry<Tally.HourKey, Tally.EngagementDelta> e : tally.hours.entrySet()) {
                s.setLong(1, e.getKey().campaignId());
                s.setObject(2, utc(e.getKey().hour()));
                s.setLong(3, e.getValue().humanClicks);
                s.setLong(4, e.getValue().machineClicks);
                s.setLong(5, e.getValue().humanOpens);
                s.setLong(6, e.getValue().machineOpens);
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO subscription_engagement (list_id, subscriber_id, last_human_click_at, last_human_open_at,
                                                     last_human_at, delivered_since_human)
                VALUES (?, ?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE
                    last_human_click_at = CASE WHEN VALUES(last_human_click_at) IS NULL THEN last_human_click_at
                        WHEN last_human_click_at IS NULL OR VALUES(last_human_click_at) > last_human_click_at
                        THEN VALUES(last_human_click_at) ELSE last_human_click_at END,
                    last_human_open_at = CASE WHEN VALUES(last_human_open_at) IS NULL THEN last_human_open_at
                        WHEN last_human_open_at IS NULL OR VALUES(last_human_open_at) > last_human_open_at
                        THEN VALUES(last_human_open_at) ELSE last_human_open_at END,
                    last_human_at = CASE WHEN last_human_at IS NULL OR VALUES(last_human_at) > last_human_at
                        THEN VALUES(last_human_at) ELSE last_human_at END,
                    delivered_since_human = 0""")) {
            for (Map.Entry<Tally.SubscriptionKey, Tally.HumanSeen> e : tally.subscriptions.entrySet()) {
                Tally.HumanSeen seen = e.getValue();
                s.setLong(1, e.getKey().listId());
                s.setLong(2, e.getKey().subscriberId());
                s.setObject(3, seen.lastClick == null ? null : utc(seen.lastClick));
                s.setObject(4, seen.lastOpen == null ? null : utc(seen.lastOpen));
                s.setObject(5, utc(seen.last()));
                // bound, not a literal: the driver's batch rewrite miscounts values with a constant among them
                s.setInt(6, 0);
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
