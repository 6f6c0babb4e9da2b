package io.carteiro.subscribers;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The consent changes other features make to subscribers and subscriptions — sign-ups and confirmations from the
 * public pages, unsubscribes from links and the preference centre, the status changes of the bounce rules — each in
 * the caller's transaction, set-based, and each appending its consent event with the evidence it is given. The
 * admin's own changes go through {@link SubscriberService}; these are the doors of the other features.
 */
@ApplicationScoped
public class ConsentChanges {

    @Inject
    EntityManager em;

    @Inject
    DataSource dataSource;

    @Inject
    ConsentLog log;

    /** The subscriber with this address, created (with this name) when absent; safe against a concurrent insert. */
    public long findOrCreateSubscriber(EmailAddress address, String name, Instant now) {
        em.createNativeQuery("""
                        insert into subscriber (email, email_key, domain, name, created_at, updated_at)
                        values (:email, :emailKey, :domain, :name, :now, :now)
                        on duplicate key update id = last_insert_id(id)""")
                .setParameter("email", address.value()).setParameter("emailKey", address.key())
                .setParameter("domain", address.domainKey()).setParameter("name", name).setParameter("now", now)
                .executeUpdate();
        return ((Number) em.createNativeQuery("select last_insert_id()").getSingleResult()).longValue();
    }

    /** Sets the subscriber's name (null clears it). */
    public void rename(long subscriberId, String name, Instant at) {
        em.createNativeQuery("update subscriber set name = :name, updated_at = :at where id = :id")
                .setParameter("name", name).setParameter("at", at).setParameter("id", subscriberId).executeUpdate();
    }

    /** This subscription's status, locking the row for the rest of the transaction. */
    public Optional<SubscriptionStatus> lockSubscription(long listId, long subscriberId) {
        List<?> rows = em.createNativeQuery(
                        "select status from subscription where list_id = :l and subscriber_id = :s for update")
                .setParameter("l", listId).setParameter("s", subscriberId).getResultList();
        return rows.stream().findFirst().map(status -> SubscriptionStatus.parse((String) status));
    }

    /**
     * Writes a subscription started at {@code at} with its evidence (source, IP, user agent, form page), replacing
     * whatever the row held before; a confirmed one is confirmed with the same evidence. No consent event: the caller
     * appends the one that says why ({@link #appendEvent}).
     */
    public void putSubscription(long listId, long subscriberId, SubscriptionStatus status, Instant at,
                                ConsentEvidence ev, Long consentTextId) {
        boolean confirmed = status == SubscriptionStatus.CONFIRMED;
        em.createNativeQuery("""
                        insert into subscription (list_id, subscriber_id, status, source, subscribed_at, ip, user_agent,
                            consent_text_id, page, confirmed_at, confirm_ip, confirm_user_agent, updated_at)
                        values (:l, :s, :status, :source, :at, :ip, :ua, :ct, :page, :cat, :cip, :cua, :at)
                        on duplicate key update status = values(status), source = values(source),
                            subscribed_at = values(subscribed_at), ip = values(ip), user_agent = values(user_agent),
                            consent_text_id = values(consent_text_id), page = values(page),
                            confirmed_at = values(confirmed_at), confirm_ip = values(confirm_ip),
                            confirm_user_agent = values(confirm_user_agent), unsubscribed_at = null,
                            unsubscribe_method = null, updated_at = values(updated_at)""")
                .setParameter("l", listId).setParameter("s", subscriberId).setParameter("status", status.value())
                .setParameter("source", ev.source().value()).setParameter("at", at).setParameter("ip", ev.ip())
                .setParameter("ua", ev.userAgent()).setParameter("ct", consentTextId).setParameter("page", ev.page())
                .setParameter("cat", confirmed ? at : null).setParameter("cip", confirmed ? ev.ip() : null)
                .setParameter("cua", confirmed ? ev.userAgent() : null)
                .executeUpdate();
    }

    /** Confirms an unconfirmed subscription with the evidence of the click; false when it was not unconfirmed. */
    public boolean confirm(long listId, long subscriberId, Instant at, ConsentEvidence ev) {
        return em.createNativeQuery("""
                        update subscription set status = 'confirmed', confirmed_at = :at, confirm_ip = :ip,
                            confirm_user_agent = :ua, updated_at = :at
                        where list_id = :l and subscriber_id = :s and status = 'unconfirmed'""")
                .setParameter("at", at).setParameter("ip", ev.ip()).setParameter("ua", ev.userAgent())
                .setParameter("l", listId).setParameter("s", subscriberId).executeUpdate() > 0;
    }

    /** Appends one consent event at {@code at}, copying the list's name so the trail still reads after it is gone. */
    public void appendEvent(long subscriberId, Long listId, ConsentEventKind kind, Instant at, ConsentEvidence ev,
                            Long consentTextId) {
        log.appendAt(subscriberId, listId, kind, at, ev, consentTextId);
    }

    /**
     * Ends a subscription that is still running and appends its consent event; false when there is none or it had
     * already ended. Plain JDBC on the transaction's connection: this is the hot path of RFC 8058 one-click
     * unsubscribes (one UPDATE, one INSERT).
     */
    public boolean unsubscribe(long listId, long subscriberId, String method, Instant at, ConsentEvidence ev) {
        LocalDateTime when = LocalDateTime.ofInstant(at, ZoneOffset.UTC); // columns hold UTC
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("""
                     update subscription set status = 'unsubscribed', unsubscribed_at = ?, unsubscribe_method = ?,
                         updated_at = ?
                     where list_id = ? and subscriber_id = ? and status <> 'unsubscribed'""")) {
            update.setObject(1, when);
            update.setString(2, method);
            update.setObject(3, when);
            update.setLong(4, listId);
            update.setLong(5, subscriberId);
            if (update.executeUpdate() == 0) {
                return false;
            }
            log.appendUnsubscribed(c, subscriberId, listId, when, ev);
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("could not unsubscribe subscriber " + subscriberId + " from list " + listId, e);
        }
    }

    /**
     * Ends the subscriber's running subscriptions — on one list, or on every list when {@code listId} is null — with
     * one consent event each naming the bounce behind it (when there is one): three statements whatever the number of
     * lists. Returns how many subscriptions ended.
     */
    public int unsubscribeAll(long subscriberId, Long listId, String method, Instant at, ConsentEvidence ev,
                              Long bounceId) {
        String which = "subscriber_id = :id and status <> 'unsubscribed'" + (listId == null ? "" : " and list_id = :list");
        var lock = em.createNativeQuery("select list_id from subscription where " + which + " for update")
                .setParameter("id", subscriberId);
        if (listId != null) {
            lock.setParameter("list", listId);
        }
        if (lock.getResultList().isEmpty()) {
            return 0;
        }
        log.appendUnsubscribedFromAll(subscriberId, listId, at, ev, bounceId);
        var update = em.createNativeQuery("update subscription set status = 'unsubscribed', unsubscribed_at = :now,"
                        + " unsubscribe_method = :method, updated_at = :now where " + which)
                .setParameter("now", at).setParameter("method", method).setParameter("id", subscriberId);
        if (listId != null) {
            update.setParameter("list", listId);
        }
        return update.executeUpdate();
    }

    /**
     * Ends the running subscriptions on the list of those among {@code subscriberIds} (at most a few thousand), each
     * with a consent event of kind {@code inactive}: the sunset rule's unsubscribe. Three statements whatever the
     * number; returns how many subscriptions ended (0 for those already ended, so a repeated call changes nothing).
     */
    public int unsubscribeInactive(long listId, java.util.List<Long> subscriberIds, Instant at, ConsentEvidence ev) {
        if (subscriberIds.isEmpty()) {
            return 0;
        }
        String which = "list_id = :list and subscriber_id in (:ids) and status <> 'unsubscribed'";
        if (em.createNativeQuery("select subscriber_id from subscription where " + which + " for update")
                .setParameter("list", listId).setParameter("ids", subscriberIds).getResultList().isEmpty()) {
            return 0;
        }
        log.appendInactive(listId, subscriberIds, at, ev);
        return em.createNativeQuery("update subscription set status = 'unsubscribed', unsubscribed_at = :now,"
                        + " unsubscribe_method = 'inactive', updated_at = :now where " + which)
                .setParameter("now", at).setParameter("list", listId).setParameter("ids", subscriberIds)
                .executeUpdate();
    }

    /**
     * Moves the subscriber to {@code status} when their status now is one of {@code from}, with a consent event (its
     * detail {@code "status <new>: <why>"}) naming the bounce behind it; false when nothing changed.
     */
    public boolean changeStatus(long subscriberId, SubscriberStatus status, Set<SubscriberStatus> from, Instant at,
                                ConsentEvidence ev, Long bounceId) {
        if (from.isEmpty()) {
            return false;
        }
        int changed = em.createNativeQuery("update subscriber set status = :status, updated_at = :now"
                        + " where id = :id and status in (:from)")
                .setParameter("status", status.value()).setParameter("now", at).setParameter("id", subscriberId)
                .setParameter("from", from.stream().map(SubscriberStatus::value).collect(Collectors.toList()))
                .executeUpdate();
        if (changed == 0) {
            return false;
        }
        log.appendStatusChange(subscriberId, at, ev.withDetail("status " + status.value() + ": " + ev.detail()),
                bounceId);
        return true;
    }

    /** Every status but {@code status}: the {@code from} of a change that applies whatever the subscriber was. */
    public static Set<SubscriberStatus> allBut(SubscriberStatus status) {
        return EnumSet.complementOf(EnumSet.of(status));
    }
}
