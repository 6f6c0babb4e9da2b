package io.carteiro.unsubscribe;

import io.carteiro.delivery.MailQueue;
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

    /** The page's content. */
    record Preferences(SubscriptionRepository.SubscriberRow subscriber, List<SubscriptionRepository.ListChoice> lists) {
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
        return repository.findSubscriber(subscriberId).map(s -> new Preferences(s, repository.choices(subscriberId)));
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
