package io.carteiro.subscribers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carteiro.lists.ConsentText;
import io.carteiro.lists.ListService;
import io.carteiro.lists.MailingList;
import io.carteiro.lists.OptIn;
import io.carteiro.subscribers.Views.ConsentEventView;
import io.carteiro.subscribers.Views.SubscriberExport;
import io.carteiro.subscribers.Views.SubscriberView;
import io.carteiro.subscribers.Views.SubscriptionEvidence;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds, changes, removes and erases subscribers and their subscriptions. Every change of consent appends to the
 * consent log in the same transaction; suppressed and erased addresses are refused.
 */
@ApplicationScoped
@Transactional
public class SubscriberService {

    /** A subscriber to add, as typed in a form or sent to the API. */
    public record NewSubscriber(String email, String name, Map<String, Object> attributes) {
    }

    /** What adding a subscriber to a list came to. */
    public sealed interface AddOutcome {
    }

    /** {@code confirmation} says what came of the confirmation mail asked for; null when none was asked for. */
    public record Added(long subscriberId, boolean newSubscriber, SubscriptionStatus status,
                        ConfirmationMail.Sent confirmation) implements AddOutcome {
    }

    /**
     * How an admin adds someone to a double opt-in list: send them the confirmation mail (the public form's mail and
     * signed link), or record that they already confirmed, with the evidence as a note in the consent event. Single
     * opt-in lists ignore it.
     */
    public record OptInChoice(boolean alreadyConfirmed, String evidence) {
        /** Longest evidence note kept. */
        public static final int MAX_EVIDENCE = 500;

        public static final OptInChoice SEND = new OptInChoice(false, null);

        /** {@code send} (or nothing) or {@code confirmed}; anything else is null. */
        public static OptInChoice parse(String confirmation, String evidence) {
            if (confirmation == null || confirmation.isBlank() || confirmation.strip().equalsIgnoreCase("send")) {
                return SEND;
            }
            return confirmation.strip().equalsIgnoreCase("confirmed") ? new OptInChoice(true, evidence) : null;
        }
    }

    public record AlreadyOnList(long subscriberId) implements AddOutcome {
    }

    public record NoSuchList(long listId) implements AddOutcome {
    }

    /** The input is wrong; {@code field} names what. */
    public record Invalid(String field, String reason) implements AddOutcome, EditOutcome {
    }

    /** The address is on the suppression list (or was erased) and may not be added. */
    public record Suppressed(String reason) implements AddOutcome, EditOutcome {
    }

    /** What editing a subscriber came to. */
    public sealed interface EditOutcome {
    }

    public record Edited(long subscriberId) implements EditOutcome {
    }

    public record NotFound(long subscriberId) implements EditOutcome {
    }

    /** Another subscriber already has this address (compared case-insensitively). */
    public record Duplicate(long otherSubscriberId) implements EditOutcome {
    }

    /** What a status change came to. */
    public enum Change { CHANGED, UNCHANGED, NOT_FOUND }

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    ListService lists;

    @Inject
    Suppressions suppressions;

    @Inject
    ConsentLog log;

    @Inject
    SubscriberSearch search;

    @Inject
    ObjectMapper json;

    @Inject
    AttributeLimits limits;

    @Inject
    Event<SubscriberErasing> erasing;

    @Inject
    ConfirmationMail confirmations;

    /** Adds to a list with the status its opt-in mode gives (single: confirmed; double: unconfirmed). */
    public AddOutcome add(long listId, NewSubscriber input, ConsentEvidence evidence) {
        return add(listId, input, evidence, null);
    }

    /**
     * Adds an address to a list the way an admin does (page or API): on a double opt-in list either the confirmation
     * mail goes out in {@code locale}, or the subscription starts confirmed with the admin's evidence, which is
     * required. Field names in an {@link Invalid} are the API's: {@code confirmedEvidence}.
     */
    public AddOutcome add(long listId, NewSubscriber input, ConsentEvidence evidence, OptInChoice choice,
                          java.util.Locale locale) {
        Optional<MailingList> list = lists.find(listId);
        boolean doubleOptIn = list.isPresent() && list.get().optIn == OptIn.DOUBLE;
        if (!doubleOptIn) {
            return add(listId, input, evidence, null);
        }
        if (choice.alreadyConfirmed()) {
            String note = blankToNull(choice.evidence());
            if (note == null) {
                return new Invalid("confirmedEvidence", "say how this person already confirmed (the evidence is"
                        + " kept in the consent log)");
            }
            if (note.length() > OptInChoice.MAX_EVIDENCE) {
                return new Invalid("confirmedEvidence", "is longer than " + OptInChoice.MAX_EVIDENCE + " characters");
            }
            return add(listId, input, evidence.withDetail("already confirmed, evidence: " + note),
                    SubscriptionStatus.CONFIRMED);
        }
        AddOutcome outcome = add(listId, input, evidence.withDetail("added by an admin; confirmation mail requested"),
                null);
        if (outcome instanceof Added added && added.status() == SubscriptionStatus.UNCONFIRMED) {
            return new Added(added.subscriberId(), added.newSubscriber(), added.status(),
                    confirmations.request(added.subscriberId(), listId, locale));
        }
        return outcome;
    }

    /**
     * Sends the confirmation mail of an unconfirmed subscription again (an admin's "resend"), at most once per
     * mailbox per interval; empty when there is no such subscription.
     */
    public Optional<ConfirmationMail.Sent> resendConfirmation(long subscriberId, long listId,
                                                              java.util.Locale locale) {
        if (Subscription.findByIdOptional(new Subscription.Key(listId, subscriberId)).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(confirmations.request(subscriberId, listId, locale));
    }

    /**
     * Adds an address to a list, creating the subscriber if the address is new. {@code initialStatus} overrides the
     * list's opt-in mode (an import of people who already confirmed elsewhere); null keeps it.
     */
    public AddOutcome add(long listId, NewSubscriber input, ConsentEvidence evidence,
                          SubscriptionStatus initialStatus) {
        EmailAddress.Parsed parsed = EmailAddress.parse(input.email());
        if (parsed instanceof EmailAddress.Invalid invalid) {
            return new Invalid("email", invalid.reason());
        }
        EmailAddress address = ((EmailAddress.Valid) parsed).address();
        Optional<Invalid> problem = checkNameAndAttributes(input.name(), input.attributes());
        if (problem.isPresent()) {
            return problem.get();
        }
        Optional<MailingList> list = lists.find(listId);
        if (list.isEmpty()) {
            return new NoSuchList(listId);
        }
        Optional<Suppressions.Entry> blocked = suppressions.match(address);
        if (blocked.isPresent()) {
            return new Suppressed(explain(address, blocked.get()));
        }
        Instant now = clock.instant();
        Subscriber subscriber = findByEmail(address).orElse(null);
        boolean created = subscriber == null;
        if (created) {
            subscriber = new Subscriber();
            subscriber.setAddress(address);
            subscriber.name = blankToNull(input.name());
            subscriber.attributes = emptyToNull(input.attributes());
            subscriber.createdAt = now;
            subscriber.updatedAt = now;
            subscriber.persist();
        } else if (Subscription.findByIdOptional(new Subscription.Key(listId, subscriber.id)).isPresent()) {
            return new AlreadyOnList(subscriber.id);
        } else if (subscriber.name == null && blankToNull(input.name()) != null) {
            subscriber.name = blankToNull(input.name());
            subscriber.updatedAt = now;
        }
        MailingList mailingList = list.get();
        Long consentTextId = lists.currentConsentText(mailingList).map(text -> text.id).orElse(null);
        SubscriptionStatus status = initialStatus != null ? initialStatus
                : mailingList.optIn == OptIn.SINGLE ? SubscriptionStatus.CONFIRMED : SubscriptionStatus.UNCONFIRMED;
        Subscription subscription = new Subscription();
        subscription.listId = listId;
        subscription.subscriberId = subscriber.id;
        subscription.status = status;
        subscription.source = evidence.source();
        subscription.subscribedAt = now;
        subscription.ip = evidence.ip();
        subscription.userAgent = evidence.userAgent();
        subscription.consentTextId = consentTextId;
        subscription.legalBasis = evidence.legalBasis();
        subscription.page = evidence.page();
        subscription.updatedAt = now;
        if (status == SubscriptionStatus.CONFIRMED) {
            subscription.confirmedAt = now;
            subscription.confirmIp = evidence.ip();
            subscription.confirmUserAgent = evidence.userAgent();
        } else if (status == SubscriptionStatus.UNSUBSCRIBED) {
            subscription.unsubscribedAt = now;
            subscription.unsubscribeMethod = evidence.source().value();
        }
        subscription.persist();
        log.append(subscriber.id, listId, mailingList.name, ConsentEventKind.SUBSCRIBED, evidence, consentTextId);
        if (status != SubscriptionStatus.UNCONFIRMED) {
            ConsentEventKind kind = status == SubscriptionStatus.CONFIRMED
                    ? ConsentEventKind.CONFIRMED : ConsentEventKind.UNSUBSCRIBED;
            log.append(subscriber.id, listId, mailingList.name, kind,
                    evidence.detail() == null && mailingList.optIn == OptIn.SINGLE && initialStatus == null
                            ? evidence.withDetail("single opt-in: confirmed on subscribing") : evidence,
                    consentTextId);
        }
        return new Added(subscriber.id, created, status, null);
    }

    /** Changes address, name and attributes; the new address must be valid, free and not suppressed. */
    public EditOutcome edit(long id, NewSubscriber changes) {
        Subscriber subscriber = Subscriber.findById(id);
        if (subscriber == null) {
            return new NotFound(id);
        }
        EmailAddress.Parsed parsed = EmailAddress.parse(changes.email());
        if (parsed instanceof EmailAddress.Invalid invalid) {
            return new Invalid("email", invalid.reason());
        }
        Optional<Invalid> problem = checkNameAndAttributes(changes.name(), changes.attributes());
        if (problem.isPresent()) {
            return problem.get();
        }
        EmailAddress address = ((EmailAddress.Valid) parsed).address();
        if (!address.key().equals(subscriber.emailKey)) {
            Optional<Subscriber> other = findByEmail(address);
            if (other.isPresent()) {
                return new Duplicate(other.get().id);
            }
            Optional<Suppressions.Entry> blocked = suppressions.match(address);
            if (blocked.isPresent()) {
                return new Suppressed(explain(address, blocked.get()));
            }
        }
        subscriber.setAddress(address);
        subscriber.name = blankToNull(changes.name());
        subscriber.attributes = emptyToNull(changes.attributes());
        subscriber.updatedAt = clock.instant();
        return new Edited(id);
    }

    /** Moves one subscription to a new status, recording the evidence on it and in the consent log. */
    public Change changeSubscription(long subscriberId, long listId, SubscriptionStatus status,
                                     ConsentEvidence evidence) {
        Optional<Subscription> found = Subscription.findByIdOptional(new Subscription.Key(listId, subscriberId));
        if (found.isEmpty()) {
            return Change.NOT_FOUND;
        }
        Subscription subscription = found.get();
        if (subscription.status == status) {
            return Change.UNCHANGED;
        }
        Instant now = clock.instant();
        SubscriptionStatus before = subscription.status;
        subscription.status = status;
        subscription.updatedAt = now;
        switch (status) {
            case CONFIRMED -> {
                subscription.confirmedAt = now;
                subscription.confirmIp = evidence.ip();
                subscription.confirmUserAgent = evidence.userAgent();
                subscription.unsubscribedAt = null;
                subscription.unsubscribeMethod = null;
            }
            case UNSUBSCRIBED -> {
                subscription.unsubscribedAt = now;
                subscription.unsubscribeMethod = evidence.source().value();
            }
            case UNCONFIRMED -> {
                subscription.confirmedAt = null;
                subscription.confirmIp = null;
                subscription.confirmUserAgent = null;
                subscription.unsubscribedAt = null;
                subscription.unsubscribeMethod = null;
            }
        }
        ConsentEventKind kind = switch (status) {
            case CONFIRMED -> ConsentEventKind.CONFIRMED;
            case UNCONFIRMED -> ConsentEventKind.UNCONFIRMED;
            case UNSUBSCRIBED -> ConsentEventKind.UNSUBSCRIBED;
        };
        String note = evidence.detail() != null ? evidence.detail() : before.value() + " → " + status.value();
        log.append(subscriberId, listId, listName(listId), kind, evidence.withDetail(note),
                subscription.consentTextId);
        return Change.CHANGED;
    }

    /** Changes whether the subscriber may be mailed at all (blocklisted, bounced, ...), and logs it. */
    public Change changeStatus(long subscriberId, SubscriberStatus status, ConsentEvidence evidence) {
        Subscriber subscriber = Subscriber.findById(subscriberId);
        if (subscriber == null) {
            return Change.NOT_FOUND;
        }
        if (subscriber.status == status) {
            return Change.UNCHANGED;
        }
        String note = (evidence.detail() == null ? "" : evidence.detail() + ": ")
                + subscriber.status.value() + " → " + status.value();
        subscriber.status = status;
        subscriber.updatedAt = clock.instant();
        log.append(subscriberId, null, null, ConsentEventKind.STATUS_CHANGED, evidence.withDetail(note), null);
        return Change.CHANGED;
    }

    /**
     * Records the subscriber's choice about click and open tracking (from the preference centre) and logs it; their
     * next messages carry plain links and no open image when {@code allowed} is false.
     */
    public Change setTracking(long subscriberId, boolean allowed, ConsentEvidence evidence) {
        Subscriber subscriber = Subscriber.findById(subscriberId);
        if (subscriber == null) {
            return Change.NOT_FOUND;
        }
        if (subscriber.trackingRefused == !allowed) {
            return Change.UNCHANGED;
        }
        subscriber.trackingRefused = !allowed;
        subscriber.updatedAt = clock.instant();
        log.append(subscriberId, null, null, allowed ? ConsentEventKind.TRACKING_ALLOWED
                : ConsentEventKind.TRACKING_REFUSED, evidence, null);
        return Change.CHANGED;
    }

    /** Whether the subscriber turned tracking off; empty when there is no such subscriber. */
    public Optional<Boolean> trackingRefused(long subscriberId) {
        return Subscriber.<Subscriber>findByIdOptional(subscriberId).map(s -> s.trackingRefused);
    }

    /**
     * Unsubscribes these subscribers from the list because they stopped engaging (the sunset rule), with a consent
     * event of kind {@code inactive} each; only confirmed subscriptions change. Set-based: two statements whatever
     * the number of subscribers. Returns the subscribers whose subscription ended.
     */
    public List<Long> unsubscribeInactive(long listId, Collection<Long> subscriberIds, ConsentEvidence evidence) {
        if (subscriberIds.isEmpty()) {
            return List.of();
        }
        em.flush();
        @SuppressWarnings("unchecked")
        List<Number> ending = em.createNativeQuery("""
                        select subscriber_id from subscription
                        where list_id = :list and status = 'confirmed' and subscriber_id in (:ids)
                        order by subscriber_id for update""")
                .setParameter("list", listId).setParameter("ids", subscriberIds).getResultList();
        List<Long> ids = ending.stream().map(Number::longValue).toList();
        if (ids.isEmpty()) {
            return ids;
        }
        java.sql.Timestamp now = java.sql.Timestamp.from(clock.instant());
        em.createNativeQuery("""
                        insert into consent_event (subscriber_id, list_id, list_name, event, source, occurred_at,
                                                   consent_text_id, actor, detail)
                        select s.subscriber_id, s.list_id, l.name, 'inactive', :source, :now, s.consent_text_id,
                               :actor, :detail
                        from subscription s join mailing_list l on l.id = s.list_id
                        where s.list_id = :list and s.subscriber_id in (:ids)""")
                .setParameter("source", evidence.source().value()).setParameter("now", now)
                .setParameter("actor", evidence.actor()).setParameter("detail", evidence.detail())
                .setParameter("list", listId).setParameter("ids", ids).executeUpdate();
        em.createNativeQuery("""
                        update subscription set status = 'unsubscribed', unsubscribed_at = :now,
                               unsubscribe_method = 'inactive', updated_at = :now
                        where list_id = :list and subscriber_id in (:ids)""")
                .setParameter("now", now).setParameter("list", listId).setParameter("ids", ids).executeUpdate();
        return ids;
    }

    /** Takes the subscriber off one list, logging a removal. */
    public boolean removeFromList(long subscriberId, long listId, ConsentEvidence evidence) {
        Optional<Subscription> found = Subscription.findByIdOptional(new Subscription.Key(listId, subscriberId));
        if (found.isEmpty()) {
            return false;
        }
        log.append(subscriberId, listId, listName(listId), ConsentEventKind.REMOVED, evidence,
                found.get().consentTextId);
        found.get().delete();
        return true;
    }

    /**
     * Deletes the subscriber and their subscriptions. Unlike {@link #erase}, the consent log keeps a removal per
     * list and a deletion event naming the address, which is what shows the organisation acted on the request.
     */
    public boolean delete(long id, ConsentEvidence evidence) {
        Subscriber subscriber = Subscriber.findById(id);
        if (subscriber == null) {
            return false;
        }
        log.appendRemovals(id, evidence);
        log.append(id, null, null, ConsentEventKind.DELETED,
                evidence.withDetail("subscriber " + subscriber.email + " deleted"), null);
        subscriber.delete();
        em.flush();
        return true;
    }

    /**
     * Erases the subscriber (GDPR Art. 17): their row, subscriptions and consent history go, and only a salted hash of
     * the address stays in the suppression list so it is not added again by accident.
     */
    public boolean erase(long id) {
        Subscriber subscriber = Subscriber.findById(id);
        if (subscriber == null) {
            return false;
        }
        erasing.fire(new SubscriberErasing(id));
        suppressions.addErased(EmailAddress.of(subscriber.email));
        log.eraseHistory(id);
        subscriber.delete();
        em.flush();
        return true;
    }

    public Optional<SubscriberView> find(long id) {
        return search.byId(id);
    }

    /** The subscriber with this address (case-insensitive), if any. */
    public Optional<Subscriber> findByEmail(EmailAddress address) {
        return Subscriber.find("emailKey", address.key()).firstResultOptional();
    }

    /** The consent log of a subscriber, oldest first; also readable after the subscriber was deleted. */
    public List<ConsentEventView> history(long subscriberId) {
        return log.history(subscriberId).stream().map(ConsentEventView::of).toList();
    }

    /** Everything held about one subscriber, for a data-subject access or portability request. */
    public Optional<SubscriberExport> export(long id) {
        Subscriber subscriber = Subscriber.findById(id);
        if (subscriber == null) {
            return Optional.empty();
        }
        List<Subscription> subscriptions = Subscription.list("subscriberId = ?1 order by listId", id);
        List<SubscriptionEvidence> evidence = subscriptions.stream().map(s -> {
            Optional<ConsentText> text = s.consentTextId == null ? Optional.empty()
                    : lists.consentText(s.consentTextId);
            return new SubscriptionEvidence(s.listId, listName(s.listId), s.status, s.source, s.subscribedAt, s.ip,
                    s.userAgent, s.page, text.map(t -> t.version).orElse(null), text.map(t -> t.body).orElse(null),
                    s.legalBasis, s.confirmedAt, s.confirmIp, s.confirmUserAgent, s.unsubscribedAt,
                    s.unsubscribeMethod);
        }).toList();
        return Optional.of(new SubscriberExport(clock.instant(), subscriber.id, subscriber.email, subscriber.name,
                subscriber.attributes, subscriber.status, subscriber.createdAt, subscriber.updatedAt, evidence,
                history(id)));
    }

    private String listName(long listId) {
        return lists.find(listId).map(l -> l.name).orElse(null);
    }

    private Optional<Invalid> checkNameAndAttributes(String name, Map<String, Object> attributes) {
        if (SubscriberName.check(name) instanceof SubscriberName.Invalid invalid) {
            return Optional.of(new Invalid("name", invalid.reason()));
        }
        if (attributes == null) {
            return Optional.empty();
        }
        Optional<String> shape = limits.problem(attributes, null);
        if (shape.isPresent()) {
            return Optional.of(new Invalid("attributes", shape.get()));
        }
        try {
            return limits.problem(attributes, json.writeValueAsString(attributes))
                    .map(problem -> new Invalid("attributes", problem));
        } catch (JsonProcessingException e) {
            return Optional.of(new Invalid("attributes", "attributes cannot be written as JSON"));
        }
    }

    private static String explain(EmailAddress address, Suppressions.Entry entry) {
        return switch (entry.kind()) {
            case ERASED -> address + " was erased at the subscriber's request and may not be added again";
            case DOMAIN -> "the domain " + entry.value() + " is on the suppression list (" + entry.reason().value()
                    + ")";
            case ADDRESS -> address + " is on the suppression list (" + entry.reason().value() + ")";
        };
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static Map<String, Object> emptyToNull(Map<String, Object> attributes) {
        return attributes == null || attributes.isEmpty() ? null : new LinkedHashMap<>(attributes);
    }
}
