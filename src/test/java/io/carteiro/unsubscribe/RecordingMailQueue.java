package io.carteiro.unsubscribe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fallback queue (real sending through the Mailer) that also remembers which cancellations it was asked for,
 * standing in for the delivery engine, which is not part of this branch. Enabled only by
 * {@link SubscriberJourneyBrowserTest.RealMail}.
 */
@Alternative
@ApplicationScoped
class RecordingMailQueue extends MailerFallbackQueue {

    /** One call of {@code cancelQueued}. */
    record Cancellation(long subscriberId, Long listId) {
    }

    private final List<Cancellation> cancellations = new CopyOnWriteArrayList<>();

    List<Cancellation> cancellations() {
        return List.copyOf(cancellations);
    }

    @Override
    public int cancelQueued(long subscriberId, Long listId) {
        cancellations.add(new Cancellation(subscriberId, listId));
        return 0;
    }
}
