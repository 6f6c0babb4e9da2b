package io.carteiro.engagement;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The SQL of the hit tables ({@code engagement_pending}, {@code engagement_hit}, {@code engagement_recipient},
 * {@code engagement_settle_lock}) for the settle step, on the caller's connection and transaction. Every statement
 * is set-based: a batch of thousands of hits is a handful of statements.
 */
@ApplicationScoped
class HitStore {

    /** Takes the settle lock for this transaction; false when another instance holds it. */
    boolean lockForSettling(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id FROM engagement_settle_lock WHERE id = 1 FOR UPDATE SKIP LOCKED");
             ResultSet r = s.executeQuery()) {
            return r.next();
        }
    }

    void markSettled(Connection c, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE engagement_settle_lock SET settled_at = ? WHERE id = 1")) {
            s.setObject(1, utc(at));
            s.executeUpdate();
        }
    }

    /** The oldest pending hits that arrived at or before {@code cutoff}, oldest first. */
    List<PendingHit> due(Connection c, Instant cutoff, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_PENDING + " WHERE at <= ? ORDER BY at, id LIMIT ?")) {
            s.setObject(1, utc(cutoff));
            s.setInt(2, limit);
            return pending(s);
        }
    }

    /** Every pending hit of these recipients (judged now or later), as context. */
    List<PendingHit> pendingOf(Connection c, Collection<RecipientKey> recipients) throws SQLException {
        List<PendingHit> out = new ArrayList<>();
        for (Map.Entry<String, List<RecipientKey>> group : byCampaign(recipients).entrySet()) {
            RecipientKey any = group.getValue().get(0);
            try (PreparedStatement s = c.prepareStatement(SELECT_PENDING
                    + " WHERE campaign_id = ? AND anonymous = ? AND recipient_key IN (" + marks(group.getValue().size())
                    + ")")) {
                bindGroup(s, any, group.getValue());
                out.addAll(pending(s));
            }
        }
        return out;
    }

    /** The judged hits of these recipients since {@code from}, as context (their sent-at is not kept: null). */
    List<HitClassifier.Observed> judgedOf(Connection c, Collection<RecipientKey> recipients, Instant from,
                                          Map<HitClassifier.Observed, RecipientKey> owners) throws SQLException {
        List<HitClassifier.Observed> out = new ArrayList<>();
        for (Map.Entry<String, List<RecipientKey>> group : byCampaign(recipients).entrySet()) {
            RecipientKey any = group.getValue().get(0);
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT id, kind, link_no, at, signals, recipient_key FROM engagement_hit
                    WHERE campaign_id = ? AND anonymous = ? AND recipient_key IN (""" + marks(group.getValue().size())
                    + ") AND at >= ?")) {
                int i = bindGroup(s, any, group.getValue());
                s.setObject(i, utc(from));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        HitClassifier.Observed o = new HitClassifier.Observed(-r.getLong(1), r.getInt(2), r.getInt(3),
                                instant(r, 4), null, r.getInt(5), false);
                        out.add(o);
                        owners.put(o, new RecipientKey(any.campaignId(), any.anonymous(), r.getLong(6)));
                    }
                }
            }
        }
        return out;
    }

    /** The recipients' states, locked; those without a row yet get a fresh state. */
    Map<RecipientKey, RecipientState> recipients(Connection c, Collection<RecipientKey> recipients)
            throws SQLException {
        Map<RecipientKey, RecipientState> out = new TreeMap<>();
        for (RecipientKey k : recipients) {
            out.put(k, new RecipientState(k));
        }
        for (Map.Entry<String, List<RecipientKey>> group : byCampaign(recipients).entrySet()) {
            RecipientKey any = group.getValue().get(0);
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT recipient_key, human_clicks, machine_clicks, human_opens, machine_opens, human_links,
                           first_human_at
                    FROM engagement_recipient WHERE campaign_id = ? AND anonymous = ? AND recipient_key IN ("""
                    + marks(group.getValue().size()) + ") FOR UPDATE")) {
                bindGroup(s, any, group.getValue());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        RecipientState st = out.get(new RecipientKey(any.campaignId(), any.anonymous(), r.getLong(1)));
                        st.humanClicks = r.getInt(2);
                        st.machineClicks = r.getInt(3);
                        st.humanOpens = r.getInt(4);
                        st.machineOpens = r.getInt(5);
                        byte[] links = r.getBytes(6);
                        st.humanLinks = links == null ? new byte[0] : links;
                        st.firstHumanAt = instant(r, 7);
                    }
                }
            }
        }
        return out;
    }

    void saveRecipients(Connection c, Collection<RecipientState> states) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO engagement_recipient (campaign_id, anonymous, recipient_key, subscriber_id, human_clicks,
                                                  machine_clicks, human_opens, machine_opens, human_links,
                                                  first_human_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE human_clicks = VALUES(human_clicks), machine_clicks = VALUES(machine_clicks),
                    human_opens = VALUES(human_opens), machine_opens = VALUES(machine_opens),
                    human_links = VALUES(human_links), first_human_at = VALUES(first_human_at)""")) {
            for (RecipientState st : states) {
                s.setLong(1, st.key.campaignId());
                s.setBoolean(2, st.key.anonymous());
                s.setLong(3, st.key.key());
                if (st.key.anonymous()) {
                    s.setNull(4, Types.BIGINT);
                } else {
                    s.setLong(4, st.key.key());
                }
                s.setInt(5, st.humanClicks);
                s.setInt(6, st.machineClicks);
                s.setInt(7, st.humanOpens);
                s.setInt(8, st.machineOpens);
                s.setBytes(9, st.humanLinks.length == 0 ? null : st.humanLinks);
                s.setObject(10, st.firstHumanAt == null ? null : utc(st.firstHumanAt));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Moves judged hits from pending to {@code engagement_hit} with their verdicts. */
    void settle(Connection c, List<PendingHit> hits, Map<Long, Verdict> verdicts) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO engagement_hit (campaign_id, list_id, kind, link_no, anonymous, recipient_key,
                                            subscriber_id, at, signals, human, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (PendingHit h : hits) {
                Verdict v = verdicts.get(h.id());
                s.setLong(1, h.campaignId());
                s.setLong(2, h.listId());
                s.setInt(3, h.kind());
                s.setInt(4, h.linkNo());
                s.setBoolean(5, h.anonymous());
                s.setLong(6, h.recipientKey());
                if (h.anonymous()) {
                    s.setNull(7, Types.BIGINT);
                } else {
                    s.setLong(7, h.recipientKey());
                }
                s.setObject(8, utc(h.at()));
                s.setInt(9, h.signals());
                s.setBoolean(10, v.human());
                s.setString(11, v.reason().column());
                s.addBatch();
            }
            s.executeBatch();
        }
        List<Long> ids = hits.stream().map(PendingHit::id).toList();
        for (int from = 0; from < ids.size(); from += 1000) {
            List<Long> part = ids.subList(from, Math.min(ids.size(), from + 1000));
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM engagement_pending WHERE id IN (" + marks(part.size()) + ")")) {
                for (int i = 0; i < part.size(); i++) {
                    s.setLong(i + 1, part.get(i));
                }
                s.executeUpdate();
            }
        }
    }

    /** Deletes up to {@code limit} judged hits older than {@code before}; returns how many. */
    int prune(Connection c, Instant before, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM engagement_hit WHERE at < ? LIMIT ?")) {
            s.setObject(1, utc(before));
            s.setInt(2, limit);
            return s.executeUpdate();
        }
    }

    /** How many tracked links each of these campaigns has. */
    Map<Long, Integer> linkCounts(Connection c, Collection<Long> campaignIds) throws SQLException {
        Map<Long, Integer> out = new HashMap<>();
        if (campaignIds.isEmpty()) {
            return out;
        }
        List<Long> ids = List.copyOf(campaignIds);
        try (PreparedStatement s = c.prepareStatement("SELECT campaign_id, COUNT(*) FROM tracked_link "
                + "WHERE campaign_id IN (" + marks(ids.size()) + ") GROUP BY campaign_id")) {
            for (int i = 0; i < ids.size(); i++) {
                s.setLong(i + 1, ids.get(i));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getLong(1), r.getInt(2));
                }
            }
        }
        return out;
    }

    private static final String SELECT_PENDING = """
            SELECT id, campaign_id, list_id, kind, link_no, anonymous, recipient_key, domain, sent_at, at, signals
            FROM engagement_pending""";

    private static List<PendingHit> pending(PreparedStatement s) throws SQLException {
        List<PendingHit> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new PendingHit(r.getLong(1), r.getLong(2), r.getLong(3), r.getInt(4), r.getInt(5),
                        r.getBoolean(6), r.getLong(7), r.getString(8), instant(r, 9), instant(r, 10), r.getInt(11)));
            }
        }
        return out;
    }

    private static Map<String, List<RecipientKey>> byCampaign(Collection<RecipientKey> recipients) {
        return recipients.stream().collect(Collectors.groupingBy(k -> k.campaignId() + ":" + k.anonymous(),
                TreeMap::new, Collectors.toList()));
    }

    private static int bindGroup(PreparedStatement s, RecipientKey any, List<RecipientKey> group)
            throws SQLException {
        s.setLong(1, any.campaignId());
        s.setBoolean(2, any.anonymous());
        int i = 3;
        for (RecipientKey k : group) {
            s.setLong(i++, k.key());
        }
        return i;
    }

    static String marks(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    static LocalDateTime utc(Instant at) {
        return LocalDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet r, int column) throws SQLException {
        LocalDateTime t = r.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
