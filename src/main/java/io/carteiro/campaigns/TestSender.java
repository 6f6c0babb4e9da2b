package io.carteiro.campaigns;

import io.carteiro.delivery.MailQueue;
import io.carteiro.delivery.OutgoingMail;
import io.carteiro.subscribers.EmailAddress;
import io.carteiro.subscribers.SubscriberLookup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Test sends: the campaign rendered for the sample subscriber, queued through the engine's intake as transactional
 * mail to a few addresses. The links in a test message are inert so a tester cannot unsubscribe anyone.
 */
@ApplicationScoped
class TestSender {

    @Inject
    CampaignRenderer renderer;

    @Inject
    MailQueue queue;

    @Inject
    CampaignsConfig config;

    @Inject
    SubscriberLookup subscribers;

    /** Why a test was not queued; the API and the page each put it in their own words. */
    enum Refusal { NO_ADDRESS, TOO_MANY, NOT_AN_ADDRESS, NO_SUCH_SUBSCRIBER, NO_SUCH_CAMPAIGN }

    /**
     * The queued message ids, or the refusal with the value it is about (the bad address, the cap, the unknown
     * subscriber) and, for a bad address, the parser's reason.
     */
    record Result(List<Long> messageIds, Refusal refusal, String value, String reason) {
        static Result refused(Refusal refusal, String value, String reason) {
            return new Result(List.of(), refusal, value, reason);
        }
    }

    @Transactional
    Result send(long campaignId, List<String> to) {
        return send(campaignId, to, null);
    }

    /**
     * Queues the test; with {@code dataOf} (a subscriber's address, blank for none) the message is rendered with that
     * subscriber's name and attributes instead of the sample's.
     */
    @Transactional
    Result send(long campaignId, List<String> to, String dataOf) {
        if (to == null || to.isEmpty()) {
            return Result.refused(Refusal.NO_ADDRESS, null, null);
        }
        List<String> addresses = new ArrayList<>(new LinkedHashSet<>(to));
        if (addresses.size() > config.maxTestRecipients()) {
            return Result.refused(Refusal.TOO_MANY, String.valueOf(config.maxTestRecipients()), null);
        }
        for (String address : addresses) {
            EmailAddress.Parsed parsed = address == null ? null : EmailAddress.parse(address);
            if (!(parsed instanceof EmailAddress.Valid)) {
                return Result.refused(Refusal.NOT_AN_ADDRESS, address,
                        parsed == null ? "empty" : ((EmailAddress.Invalid) parsed).reason());
            }
        }
        Long subscriberId = null;
        if (dataOf != null && !dataOf.isBlank()) {
            Optional<SubscriberLookup.Summary> found = EmailAddress.parse(dataOf.strip()) instanceof EmailAddress.Valid v
                    ? subscribers.byKey(v.address().key()) : Optional.empty();
            if (found.isEmpty()) {
                return Result.refused(Refusal.NO_SUCH_SUBSCRIBER, dataOf.strip(), null);
            }
            subscriberId = found.get().id();
        }
        List<Long> ids = new ArrayList<>();
        for (String address : addresses) {
            Optional<CampaignMessage> message = subscriberId == null ? renderer.sample(campaignId, address.strip())
                    : renderer.sampleWithDataOf(campaignId, address.strip(), subscriberId);
            if (message.isEmpty()) {
                return Result.refused(Refusal.NO_SUCH_CAMPAIGN, String.valueOf(campaignId), null);
            }
            var m = message.get().content();
            ids.add(queue.submit(new OutgoingMail(m.from(), message.get().to(), "[Test] " + m.subject(), m.html(),
                    m.text(), m.headers(), null, null)));
        }
        return new Result(ids, null, null, null);
    }
}
