package io.carteiro.unsubscribe;

import io.carteiro.subscribers.ConsentChanges;
import io.carteiro.subscribers.ConsentEventKind;
import io.carteiro.subscribers.ConsentEvidence;
import io.carteiro.subscribers.ConsentSource;
import io.carteiro.subscribers.EmailAddress;
import io.carteiro.subscribers.SubscriberLookup;
import io.carteiro.subscribers.SubscriptionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the public pages read and change: lists (and their current consent text) read from {@code mailing_list},
 * subscribers and subscriptions through {@code subscribers}' {@link ConsentChanges} and {@link SubscriberLookup}, which
 * own those tables, and this feature's own form rate limits.
 */
@ApplicationScoped
class SubscriptionRepository {

    /** A subscriber as the public pages see it. */
    record SubscriberRow(long id, String email, String name, String status) {
    }

    /** One row of the preference centre: a list and this subscriber's status on it (null when not on it). */
    record ListChoice(long listId, String listName, String description, String sender, String status) {
        public boolean active() {
            return "confirmed".equals(status) || "unconfirmed".equals(status);
        }
    }

    @Inject
    EntityManager em;

    @Inject
    ConsentChanges changes;

    @Inject
    SubscriberLookup lookup;

    Optional<ListInfo> findList(long listId) {
        List<?> rows = em.createNativeQuery("""
                        select ml.id, ml.name, ml.description, ml.opt_in, ml.from_email, ml.from_name, ml.public_form,
                               ct.id, ct.body
                        from mailing_list ml
                        left join consent_text ct on ct.list_id = ml.id and ct.version = ml.consent_text_version
                        where ml.id = :id""")
                .setParameter("id", listId).getResultList();
        return rows.stream().findFirst().map(r -> {
            Object[] c = (Object[]) r;
            return new ListInfo(num(c[0]), (String) c[1], (String) c[2], "double".equals(c[3]), (String) c[4],
                    (String) c[5], bool(c[6]), c[7] == null ? null : num(c[7]), (String) c[8]);
        });
    }

    Optional<SubscriberRow> findSubscriber(long id) {
        return lookup.byId(id).map(SubscriptionRepository::row);
    }

    Optional<SubscriberRow> findSubscriberByKey(String emailKey) {
        return lookup.byKey(emailKey).map(SubscriptionRepository::row);
    }

    private static SubscriberRow row(SubscriberLookup.Summary s) {
        return new SubscriberRow(s.id(), s.email(), s.name(), s.status().value());
    }

    /** The subscriber with this address, created (with this name) when absent; safe against a concurrent insert. */
    long findOrCreateSubscriber(EmailAddress address, String name, Instant now) {
        return changes.findOrCreateSubscriber(address, name, now);
    }

    /** This subscription's status, locking the row for the rest of the transaction. */
    Optional<String> lockSubscriptionStatus(long listId, long subscriberId) {
        return changes.lockSubscription(listId, subscriberId).map(SubscriptionStatus::value);
    }

    /** Writes a subscription started now with its evidence, replacing whatever the row held before. */
    void putSubscription(long listId, long subscriberId, String status, String source, Evidence ev,
                         Long consentTextId) {
        changes.putSubscription(listId, subscriberId, SubscriptionStatus.parse(status), ev.at(),
                evidence(source, ev, null), consentTextId);
    }

    /** Confirms an unconfirmed subscription; 0 when it was not unconfirmed. */
    int confirm(long listId, long subscriberId, Evidence ev) {
        return changes.confirm(listId, subscriberId, ev.at(), evidence("form", ev, null)) ? 1 : 0;
    }

    /**
     * Ends a subscription that is still running, and appends its consent event, in the caller's transaction; false
     * when there is none or it had already ended (the hot path of RFC 8058 one-click unsubscribes).
     */
    boolean unsubscribe(long listId, long subscriberId, String method, Evidence ev, String detail) {
        return changes.unsubscribe(listId, subscriberId, method, ev.at(), evidence("form", ev, detail));
    }

    boolean subscriptionExists(long listId, long subscriberId) {
        return lookup.subscriptionExists(listId, subscriberId);
    }

    /** Appends one consent event, copying the list's name so the trail still reads after the list is gone. */
    void appendEvent(long subscriberId, Long listId, String event, String source, Evidence ev, Long consentTextId,
                     String detail) {
        changes.appendEvent(subscriberId, listId, ConsentEventKind.parse(event), ev.at(), evidence(source, ev, detail),
                consentTextId);
    }

    void updateName(long subscriberId, String name, Instant at) {
        changes.rename(subscriberId, name, at);
    }

    /** The lists this subscriber is or was on, then every other public list, by name. */
    List<ListChoice> choices(long subscriberId) {
        Map<Long, SubscriptionStatus> statuses = lookup.subscriptions(subscriberId);
        var query = em.createNativeQuery("select ml.id, ml.name, ml.description, ml.from_name, ml.from_email"
                + " from mailing_list ml where ml.public_form" + (statuses.isEmpty() ? "" : " or ml.id in (:ids)")
                + " order by ml.name, ml.id");
        if (!statuses.isEmpty()) {
            query.setParameter("ids", List.copyOf(statuses.keySet()));
        }
        List<ListChoice> choices = new ArrayList<>();
        for (Object r : query.getResultList()) {
            Object[] c = (Object[]) r;
            ListInfo info = new ListInfo(num(c[0]), (String) c[1], (String) c[2], false, (String) c[4],
                    (String) c[3], false, null, null);
            SubscriptionStatus status = statuses.get(info.id());
            choices.add(new ListChoice(info.id(), info.name(), info.description(), info.sender(),
                    status == null ? null : status.value()));
        }
        return choices;
    }

    /** The evidence of a public page: the door, the visitor's address and browser, the form page, a note. */
    private static ConsentEvidence evidence(String source, Evidence ev, String detail) {
        return new ConsentEvidence(ConsentSource.parse(source), ev.ip(), ev.userAgent(), null, null, detail,
                ev.page());
    }

    /** Counts one hit on {@code key} in the window that started after {@code windowStart}; returns the count. */
    int hit(String key, Instant now, Instant windowStart) {
        // MariaDB applies the assignments left to right: hits is computed from the old window_started.
        em.createNativeQuery("""
                        insert into public_form_throttle (throttle_key, hits, window_started) values (:k, 1, :now)
                        on duplicate key update
                            hits = if(window_started < :ws, 1, hits + 1),
                            window_started = if(window_started < :ws, :now, window_started)""")
                .setParameter("k", key).setParameter("now", now).setParameter("ws", windowStart).executeUpdate();
        return ((Number) em.createNativeQuery("select hits from public_form_throttle where throttle_key = :k")
                .setParameter("k", key).getSingleResult()).intValue();
    }

    /** Hits counted on {@code key} in the window that started after {@code windowStart}, without counting one. */
    int hits(String key, Instant windowStart) {
        List<?> rows = em.createNativeQuery(
                        "select hits from public_form_throttle where throttle_key = :k and window_started >= :ws")
                .setParameter("k", key).setParameter("ws", windowStart).getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).intValue();
    }

    /** Everything stored about the subscriber, for the data download. */
    Map<String, Object> export(long subscriberId) {
        return lookup.portableData(subscriberId);
    }

    private static long num(Object o) {
        return ((Number) o).longValue();
    }

    private static boolean bool(Object o) {
        return o instanceof Boolean b ? b : ((Number) o).intValue() != 0;
    }
}
