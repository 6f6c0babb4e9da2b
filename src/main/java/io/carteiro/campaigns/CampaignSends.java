package io.carteiro.campaigns;

import io.carteiro.delivery.BulkQueue;
import io.carteiro.delivery.DeliveryConfig;
import io.carteiro.delivery.MessagesDue;
import io.carteiro.subscribers.EmailAddress;
import io.carteiro.subscribers.Recipients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Sends one campaign's message to chosen subscribers of a list, outside the campaign's own schedule: the sunset
 * rule's re-engagement message, which goes to each subscriber as they become inactive. The unique (campaign,
 * subscriber) key of the queue makes a repeated call mail nobody twice, and nobody who already had the campaign.
 */
@ApplicationScoped
public class CampaignSends {

    /** A campaign one may pick to send this way. */
    public record Choice(long id, String name, String status) {
    }

    /** The campaigns that are not cancelled, the latest first (at most 200), for a picker. */
    @jakarta.transaction.Transactional
    public List<Choice> choices() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = campaigns.getEntityManager().createNativeQuery(
                        "SELECT id, name, status FROM campaign WHERE status <> 'cancelled' ORDER BY id DESC LIMIT 200")
                .getResultList();
        return rows.stream().map(r -> new Choice(((Number) r[0]).longValue(), (String) r[1], (String) r[2])).toList();
    }

    /** Why a campaign cannot be sent this way, or empty when it can. */
    @jakarta.transaction.Transactional
    public Optional<String> problem(long campaignId) {
        Campaign c = campaigns.findById(campaignId);
        if (c == null) {
            return Optional.of("no campaign with id " + campaignId);
        }
        if (c.status == CampaignStatus.cancelled) {
            return Optional.of("campaign " + campaignId + " is cancelled");
        }
        if (c.fromEmail == null || !(EmailAddress.parse(c.fromEmail) instanceof EmailAddress.Valid)) {
            return Optional.of("campaign " + campaignId + " has no valid From address");
        }
        return Optional.empty();
    }

    @Inject
    CampaignRepository campaigns;

    @Inject
    Recipients recipients;

    @Inject
    BulkQueue queue;

    @Inject
    DeliveryConfig delivery;

    @Inject
    Event<MessagesDue> due;

    /**
     * Queues the campaign's message, due now, to those of {@code subscriberIds} still mailable on the list; returns
     * how many were queued (0 when the campaign cannot be sent). Runs in the caller's transaction.
     */
    public int sendTo(long campaignId, long listId, List<Long> subscriberIds, Instant now) {
        if (subscriberIds.isEmpty() || problem(campaignId).isPresent()) {
            return 0;
        }
        Campaign c = campaigns.findById(campaignId);
        EmailAddress from = EmailAddress.of(c.fromEmail);
        Recipients.Selection chosen = recipients.mailableAmong(listId, subscriberIds);
        int queued = queue.enqueue(campaignId, from.localPart() + "@" + from.domainKey(),
                new BulkQueue.Selection(chosen.subscriberId(), chosen.listId(), chosen.email(), chosen.domain(),
                        chosen.from(), chosen.parameters()), now, now.plus(delivery.giveUpAfter()), now);
        if (queued > 0) {
            due.fire(new MessagesDue());
        }
        return queued;
    }
}
