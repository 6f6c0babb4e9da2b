package io.carteiro.subscribers;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The read-only shapes the subscriber feature hands to pages and the API. */
public final class Views {

    private Views() {
    }

    /** A subscriber with a summary of each of their subscriptions. */
    public record SubscriberView(long id, String email, String name, Map<String, Object> attributes,
                                 SubscriberStatus status, Instant createdAt, List<SubscriptionView> subscriptions) {
    }

    public record SubscriptionView(long listId, String listName, SubscriptionStatus status, ConsentSource source,
                                   Instant subscribedAt, Instant confirmedAt, Instant unsubscribedAt) {
    }

    /** The full consent evidence of one subscription, with the words the subscriber agreed to. */
    public record SubscriptionEvidence(long listId, String listName, SubscriptionStatus status, ConsentSource source,
                                       Instant subscribedAt, String ip, String userAgent, String page,
                                       Integer consentTextVersion, String consentText, String legalBasis,
                                       Instant confirmedAt, String confirmIp, String confirmUserAgent,
                                       Instant unsubscribedAt, String unsubscribeMethod) {
    }

    public record ConsentEventView(long id, Long listId, String listName, ConsentEventKind event,
                                   ConsentSource source, Instant occurredAt, String ip, String userAgent,
                                   Long consentTextId, String legalBasis, String actor, String detail) {
        static ConsentEventView of(ConsentEvent e) {
            return new ConsentEventView(e.id, e.listId, e.listName, e.event, e.source, e.occurredAt, e.ip,
                    e.userAgent, e.consentTextId, e.legalBasis, e.actor, e.detail);
        }
    }

    /** Everything Carteiro holds about one person (GDPR Art. 15 / 20), as one JSON document. */
    public record SubscriberExport(Instant exportedAt, long id, String email, String name,
                                   Map<String, Object> attributes, SubscriberStatus status, Instant createdAt,
                                   Instant updatedAt, List<SubscriptionEvidence> subscriptions,
                                   List<ConsentEventView> consentHistory) {
    }

    /** One page of search results; {@code nextAfter} is the cursor of the next page, null on the last. */
    public record SubscriberPage(List<SubscriberView> items, Long nextAfter) {
    }
}
