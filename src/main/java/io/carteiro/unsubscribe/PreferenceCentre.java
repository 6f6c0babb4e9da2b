package io.carteiro.unsubscribe;

import io.carteiro.delivery.MailQueue;
import io.carteiro.subscribers.ConsentEvidence;
import io.carteiro.subscribers.ConsentSource;
import io.carteiro.subscribers.SubscriberService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a subscriber can do about their own data from the link in any message: choose lists, change their name,
 * leave everything, download everything, or be erased. Every change appends a consent event with its evidence.
 */
@ApplicationScoped
class PreferenceCentre {

    /** The page's content; {@code trackingAllowed}: clicks and opens of their messages may be counted. */
    record Preferences(SubscriptionRepository.SubscriberRow subscriber, List<SubscriptionRepository.ListChoice> lists,
                       boolean trackingAllowed) {
    }

    @Inject
    SubscriptionRepository repository;

    @Inject
    UnsubscribeService unsubscribes;

    @Inject
    SubscriberService subscribers;

    @Inject
    MailQueue mailQueue;

    @Transactional
    Optional<Preferences> show(long subscriberId) {
        return repository.findSubscriber(subscriberId).map(s -> new Preferences(s, repository.choices(subscriberId),
                !subscribers.trackingRefused(subscriberId).orElse(false)));
    }

    /**
     * Makes the subscriber's lists match {@code wanted}: joins (confirmed, since the link proves the mailbox) the
     * offered lists ticked, leaves the running subscriptions not ticked. Lists not offered are ignored.
     */
    @Transactional
    boolean choose(long subscriberId, Set<Long> wanted, Evidence ev) {
        if (repository.findSubscriber(subscriberId).isEmpty()) {
            return false;
        }
        for (SubscriptionRepository.ListChoice choice : repository.choices(subscriberId)) {
            boolean want = wanted.contains(choice.listId());
            if (want && !choice.active()) {
                Long consentText = repository.findList(choice.listId()).map(ListInfo::consentTextId).orElse(null);
                repository.putSubscription(choice.listId(), subscriberId, "confirmed", "form", ev, consentText);
                repository.appendEvent(subscriberId, choice.listId(), "subscribed", "form", ev, consentText,
                        "preference centre");
            } else if (!want && choice.active()) {
                unsubscribes.unsubscribe(subscriberId, choice.listId(), null, UnsubscribeService.Method.PREFERENCES,
                        ev);
            }
        }
        return true;
    }

    /**
     * The subscriber's choice about click and open tracking: refused, their next messages carry plain links and no
     * open image (on every list, whatever the list's setting); the choice is logged with its evidence.
     */
    @Transactional
    boolean setTracking(long subscriberId, boolean allowed, Evidence ev) {
        return subscribers.setTracking(subscriberId, allowed, new ConsentEvidence(ConsentSource.FORM, ev.ip(),
                ev.userAgent(), null, null, "preference centre", null)) != SubscriberService.Change.NOT_FOUND;
    }

    /** Sets the name, already checked by {@code SubscriberName} (null: none). */
    @Transactional
    boolean rename(long subscriberId, String name, Evidence ev) {
        if (repository.findSubscriber(subscriberId).isEmpty()) {
            return false;
        }
        repository.updateName(subscriberId, name, ev.at());
        repository.appendEvent(subscriberId, null, "status_changed", "form", ev, null,
                "name changed in the preference centre");
        return true;
    }

    @Transactional
    boolean leaveAll(long subscriberId, Evidence ev) {
        return choose(subscriberId, Set.of(), ev);
    }

    @Transactional
    Optional<Map<String, Object>> export(long subscriberId) {
        return repository.findSubscriber(subscriberId).map(s -> repository.export(subscriberId));
    }

    /** Deletes the subscriber and everything about them, keeping only the erasure hash; false when already gone. */
    @Transactional
    boolean erase(long subscriberId, Evidence ev) {
        mailQueue.cancelQueued(subscriberId, null);
        return subscribers.erase(subscriberId);
    }
}
