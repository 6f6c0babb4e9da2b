package io.carteiro.campaigns;

import io.carteiro.delivery.MailQueue;
import io.carteiro.delivery.OutgoingMail;
import io.carteiro.subscribers.EmailAddress;
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

    /** The queued message ids, or why nothing was queued. */
    record Result(List<Long> messageIds, String error, boolean notFound) {
    }

    @Transactional
    Result send(long campaignId, List<String> to) {
        if (to == null || to.isEmpty()) {
            return new Result(List.of(), "to must list at least one address", false);
        }
        List<String> addresses = new ArrayList<>(new LinkedHashSet<>(to));
        if (addresses.size() > config.maxTestRecipients()) {
            return new Result(List.of(), "a test goes to at most " + config.maxTestRecipients() + " addresses", false);
        }
        for (String address : addresses) {
            if (address == null || EmailAddress.parse(address) instanceof EmailAddress.Invalid) {
                String reason = address == null ? "empty"
                        : ((EmailAddress.Invalid) EmailAddress.parse(address)).reason();
                return new Result(List.of(), "to '" + address + "' is not an address: " + reason, false);
            }
        }
        List<Long> ids = new ArrayList<>();
        for (String address : addresses) {
            Optional<CampaignMessage> message = renderer.sample(campaignId, address.strip());
            if (message.isEmpty()) {
                return new Result(List.of(), "campaign " + campaignId + " does not exist", true);
            }
            var m = message.get().content();
            ids.add(queue.submit(new OutgoingMail(m.from(), message.get().to(), "[Test] " + m.subject(), m.html(),
                    m.text(), m.headers(), null, null)));
        }
        return new Result(ids, null, false);
    }
}
