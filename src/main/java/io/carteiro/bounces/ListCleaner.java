package io.carteiro.bounces;

import io.carteiro.delivery.MailQueue;
import io.carteiro.subscribers.ConsentChanges;
import io.carteiro.subscribers.ConsentEvidence;
import io.carteiro.subscribers.ConsentSource;
import io.carteiro.subscribers.SubscriberStatus;
import io.carteiro.subscribers.SuppressionReason;
import io.carteiro.subscribers.Suppressions;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * The changes the bounce rules make to subscribers, subscriptions and the suppression list, each with a consent
 * event naming the bounce that caused it, through {@code subscribers}' {@link ConsentChanges} and
 * {@link Suppressions} (which own those tables); queued mail to whoever left is cancelled. Runs in the caller's
 * transaction.
 */
@ApplicationScoped
class ListCleaner {

    /** Consent-log source of changes made because of a bounce or complaint. */
    static final String SOURCE_BOUNCE = ConsentSource.BOUNCE.value();
    /** Consent-log source of unsubscribes sent by e-mail to the mailto address. */
    static final String SOURCE_MAILTO = ConsentSource.MAILTO.value();

    private final ConsentChanges changes;
    private final MailQueue queue;
    private final Suppressions suppressions;

    ListCleaner(ConsentChanges changes, MailQueue queue, Suppressions suppressions) {
        this.changes = changes;
        this.queue = queue;
        this.suppressions = suppressions;
    }

    /** Marks an active subscriber bounced; true when the status changed. */
    boolean markBounced(long subscriberId, long bounceId, String why, Instant now) {
        return changeStatus(subscriberId, SubscriberStatus.BOUNCED, EnumSet.of(SubscriberStatus.ACTIVE), bounceId,
                why, now);
    }

    /**
     * Unsubscribes the subscriber from every list, marks them complained and suppresses the address; true when
     * anything changed.
     */
    boolean complain(long subscriberId, long bounceId, String why, Instant now) {
        int lists = unsubscribe(subscriberId, null, SOURCE_BOUNCE, "complaint", bounceId, why, now);
        boolean changed = changeStatus(subscriberId, SubscriberStatus.COMPLAINED,
                ConsentChanges.allBut(SubscriberStatus.COMPLAINED), bounceId, why, now);
        boolean suppressed = suppressions.suppressSubscriber(subscriberId, SuppressionReason.COMPLAINT,
                "complaint, bounce #" + bounceId);
        return lists > 0 || changed || suppressed;
    }

    /**
     * Unsubscribes from one list (or all when {@code listId} is null) with a consent event per subscription;
     * returns how many subscriptions changed.
     */
    int unsubscribe(long subscriberId, Long listId, String source, String method, Long bounceId, String why,
                    Instant now) {
        int ended = changes.unsubscribeAll(subscriberId, listId, method, now, evidence(source, why), bounceId);
        if (ended > 0) {
            queue.cancelQueued(subscriberId, listId);
        }
        return ended;
    }

    private boolean changeStatus(long subscriberId, SubscriberStatus status, Set<SubscriberStatus> from,
                                 long bounceId, String why, Instant now) {
        if (!changes.changeStatus(subscriberId, status, from, now, evidence(SOURCE_BOUNCE, why), bounceId)) {
            return false;
        }
        queue.cancelQueued(subscriberId, null);
        return true;
    }

    private static ConsentEvidence evidence(String source, String why) {
        return new ConsentEvidence(ConsentSource.parse(source), null, null, null, null, why, null);
    }
}
