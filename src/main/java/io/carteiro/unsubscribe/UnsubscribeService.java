package io.carteiro.unsubscribe;

import io.carteiro.delivery.MailQueue;
import io.carteiro.subscribers.Unsubscribed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Optional;

/**
 * Ends subscriptions from links in messages and from the preference centre. The common path is one UPDATE and one
 * INSERT (the consent event), then the delivery engine drops whatever it still had queued for that subscriber and list.
 */
@ApplicationScoped
class UnsubscribeService {

    /** How the subscriber left; stored in {@code subscription.unsubscribe_method}. */
    enum Method {
        ONE_CLICK("one-click"), LINK("link"), PREFERENCES("preferences");

        final String column;

        Method(String column) {
            this.column = column;
        }
    }

    /** The outcome of an unsubscribe request. */
    enum Outcome {
        UNSUBSCRIBED, ALREADY_UNSUBSCRIBED, NOT_FOUND
    }

    /** What the unsubscribe page shows: the list and sender being left, and the address leaving. */
    record Leaving(ListInfo list, String email) {
    }

    @Inject
    SubscriptionRepository repository;

    @Inject
    MailQueue mailQueue;

    @Inject
    Event<Unsubscribed> unsubscribed;

    @Transactional
    Optional<Leaving> leaving(long subscriberId, long listId) {
        if (!repository.subscriptionExists(listId, subscriberId)) {
            return Optional.empty();
        }
        return repository.findList(listId).flatMap(list -> repository.findSubscriber(subscriberId)
                .map(s -> new Leaving(list, s.email())));
    }

    @Transactional
    Outcome unsubscribe(long subscriberId, long listId, Long campaignId, Method method, Evidence ev) {
        String detail = method.column + (campaignId == null ? "" : ", campaign " + campaignId);
        if (!repository.unsubscribe(listId, subscriberId, method.column, ev, detail)) {
            return repository.subscriptionExists(listId, subscriberId) ? Outcome.ALREADY_UNSUBSCRIBED
                    : Outcome.NOT_FOUND;
        }
        mailQueue.cancelQueued(subscriberId, listId);
        if (method != Method.PREFERENCES) {
            unsubscribed.fire(new Unsubscribed(subscriberId, listId, campaignId));
        }
        return Outcome.UNSUBSCRIBED;
    }
}
