package io.carteiro.bounces;

import io.carteiro.subscribers.SubscriberErasing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import org.hibernate.Session;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The writes of the bounce feature's own tables: bounces, messages kept for review, keys already processed. Every
 * method runs in the caller's transaction (for engine outcomes, the engine's own) and works on whole batches.
 */
@ApplicationScoped
class BounceLedger {

    private final EntityManager em;

    BounceLedger(EntityManager em) {
        this.em = em;
    }

    /** One bounce about to be written. */
    record NewBounce(BouncedMessage message, BounceKind kind, BounceSource source, Integer statusCode,
                     String enhancedStatus, String diagnostic, Instant receivedAt) {

        /** The bounce is counted once per outbound message and kind, whatever reported it and how often. */
        Key key() {
            return new Key(message.outboundMessageId(), kind.code());
        }
    }

    /** What makes a bounce the same as another: its message and its kind. */
    record Key(long outboundMessageId, String kind) {
    }

    /** A bounce written by this transaction, with its id. */
    record Recorded(long id, NewBounce bounce) {
    }

    /**
     * Writes the bounces that are not recorded yet (one per outbound message and kind: a second DSN about the same
     * message, or the engine reporting an outcome again, writes nothing) and returns the ones written, with their
     * ids. A concurrent transaction writing the same bounce makes one of the two fail on the unique key, so the
     * caller retries; it never counts twice.
     */
    List<Recorded> insertNew(List<NewBounce> bounces) {
        Map<Key, NewBounce> fresh = new LinkedHashMap<>();
        for (NewBounce b : bounces) {
            fresh.putIfAbsent(b.key(), b);
        }
        if (fresh.isEmpty()) {
            return List.of();
        }
        Set<Long> messages = fresh.keySet().stream().map(Key::outboundMessageId).collect(Collectors.toSet());
        fresh.keySet().removeAll(existing(messages));
        if (fresh.isEmpty()) {
            return List.of();
        }
        insert(fresh.values());
        Map<Key, Long> ids = ids(fresh.keySet().stream().map(Key::outboundMessageId).collect(Collectors.toSet()));
        List<Recorded> recorded = new ArrayList<>(fresh.size());
        fresh.forEach((key, b) -> recorded.add(new Recorded(ids.get(key), b)));
        return recorded;
    }

    private Set<Key> existing(Collection<Long> messageIds) {
        Set<Key> keys = new HashSet<>();
        for (Object o : em.createNativeQuery(
                        "select outbound_message_id, kind from bounce where outbound_message_id in (:ids)")
                .setParameter("ids", messageIds).getResultList()) {
            Object[] r = (Object[]) o;
            keys.add(new Key(((Number) r[0]).longValue(), (String) r[1]));
        }
        return keys;
    }

    private Map<Key, Long> ids(Collection<Long> messageIds) {
        Map<Key, Long> ids = new LinkedHashMap<>();
        for (Object o : em.createNativeQuery("select id, outbound_message_id, kind from bounce "
                        + "where outbound_message_id in (:ids) and repeat_no = 0")
                .setParameter("ids", messageIds).getResultList()) {
            Object[] r = (Object[]) o;
            ids.put(new Key(((Number) r[1]).longValue(), (String) r[2]), ((Number) r[0]).longValue());
        }
        return ids;
    }

    private void insert(Collection<NewBounce> bounces) {
        StringBuilder sql = new StringBuilder("""
                insert into bounce (subscriber_id, outbound_message_id, campaign_id, email, domain, kind, source,
                                    status_code, enhanced_status, diagnostic, received_at) values """);
        int n = 0;
        for (int i = 0; i < bounces.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        }
        Query insert = em.createNativeQuery(sql.toString());
        for (NewBounce b : bounces) {
            String email = b.message().recipient();
            int at = email.lastIndexOf('@');
            insert.setParameter(++n, b.message().subscriberId())
                    .setParameter(++n, b.message().outboundMessageId())
                    .setParameter(++n, b.message().campaignId())
                    .setParameter(++n, email)
                    .setParameter(++n, at < 0 ? "" : email.substring(at + 1).toLowerCase(Locale.ROOT))
                    .setParameter(++n, b.kind().code())
                    .setParameter(++n, b.source().code())
                    .setParameter(++n, b.statusCode())
                    .setParameter(++n, b.enhancedStatus())
                    .setParameter(++n, clip(b.diagnostic(), 1000))
                    .setParameter(++n, Timestamp.from(b.receivedAt()));
        }
        insert.executeUpdate();
    }

    /** Sets each bounce's action (what the rules did), one statement per distinct action. */
    void setActions(Map<Long, String> actions) {
        Map<String, List<Long>> byAction = new LinkedHashMap<>();
        actions.forEach((id, action) -> byAction.computeIfAbsent(action, a -> new ArrayList<>()).add(id));
        byAction.forEach((action, ids) -> em.createNativeQuery("update bounce set action = :action where id in (:ids)")
                .setParameter("action", action).setParameter("ids", ids).executeUpdate());
    }

    /** A soft bounce already recorded: whom it was against, for which campaign, and when it arrived. */
    record SoftBounce(long subscriberId, Long campaignId, Instant receivedAt) {
    }

    /** The soft bounces of these subscribers received since {@code since}. */
    List<SoftBounce> softBounces(Collection<Long> subscriberIds, Instant since) {
        List<SoftBounce> found = new ArrayList<>();
        for (Object o : em.createNativeQuery("""
                        select subscriber_id, campaign_id, received_at from bounce
                        where subscriber_id in (:ids) and kind = 'soft' and received_at >= :since""")
                .setParameter("ids", subscriberIds).setParameter("since", Timestamp.from(since)).getResultList()) {
            Object[] r = (Object[]) o;
            found.add(new SoftBounce(((Number) r[0]).longValue(), r[1] == null ? null : ((Number) r[1]).longValue(),
                    SqlTimes.instant(r[2])));
        }
        return found;
    }

    /** Erasure of a subscriber: their bounces name the address, so they go with it. */
    void onErasure(@Observes SubscriberErasing erasing) {
        em.createNativeQuery("delete from bounce where subscriber_id = :id")
                .setParameter("id", erasing.subscriberId()).executeUpdate();
    }

    /** Records that the message with this key is processed; false when it had been already. */
    boolean markSeen(String key, Instant now) {
        return em.createNativeQuery("insert ignore into inbound_seen (seen_key, seen_at) values (:key, :now)")
                .setParameter("key", clip(key, 500)).setParameter("now", Timestamp.from(now)).executeUpdate() == 1;
    }

    /**
     * Keeps a message for review, streamed from wherever it is (a spool file for a large one) into the row, and
     * returns its id. The raw bytes are cut at {@code maxBytes}.
     */
    long keepForReview(InboundMail mail, ParsedMessage parsed, String reason, Instant now, long maxBytes) {
        long size = Math.min(mail.raw().size(), maxBytes);
        return em.unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into inbound_unparsed (received_at, channel, mail_from, rcpt_to, from_header, subject,
                                                  reason, size_bytes, raw)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS);
                 InputStream raw = mail.raw().open()) {
                insert.setTimestamp(1, Timestamp.from(now));
                insert.setString(2, mail.channel().code());
                insert.setString(3, clip(mail.mailFrom(), 320));
                insert.setString(4, clip(mail.rcptTo(), 320));
                insert.setString(5, clip(parsed.from(), 320));
                insert.setString(6, clip(parsed.subject(), 998));
                insert.setString(7, clip(reason, 500));
                insert.setLong(8, size);
                insert.setBinaryStream(9, raw, size);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the message to keep it for review", e);
            }
        });
    }

    /**
     * Deletes the messages kept for review that are older than {@code before}, then the oldest ones until the rest
     * fit in {@code maxTotalBytes}; returns how many went.
     */
    int trimReview(Instant before, long maxTotalBytes) {
        int expired = em.createNativeQuery("delete from inbound_unparsed where received_at < :before")
                .setParameter("before", Timestamp.from(before)).executeUpdate();
        Object total = em.createNativeQuery("select coalesce(sum(size_bytes), 0) from inbound_unparsed")
                .getSingleResult();
        if (((Number) total).longValue() <= maxTotalBytes) {
            return expired;
        }
        @SuppressWarnings("unchecked")
        List<Number> newestOver = em.createNativeQuery("""
                        select id from (select id, sum(size_bytes) over (order by id desc) as kept
                                        from inbound_unparsed) t
                        where kept > :cap order by id desc limit 1""")
                .setParameter("cap", maxTotalBytes).getResultList();
        if (newestOver.isEmpty()) {
            return expired;
        }
        return expired + em.createNativeQuery("delete from inbound_unparsed where id <= :id")
                .setParameter("id", newestOver.get(0).longValue()).executeUpdate();
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
