package io.carteiro.bounces;

import io.carteiro.delivery.DeliveryOutcome;
import io.carteiro.delivery.DeliveryOutcomeListener;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the delivery engine's final outcomes into bounces, inside the engine's transaction. What counts:
 * <ul>
 *   <li>BOUNCED (a 5xx about the recipient) is a hard bounce, or a soft one when the status says the mailbox is
 *       full (5.2.2);</li>
 *   <li>EXPIRED (retried after 4xx replies until the message's lifetime ran out) is one soft bounce; a single
 *       deferral counts nothing;</li>
 *   <li>BLOCKED (5.7.x policy or reputation) is recorded but never acted on: it is the sender's problem;</li>
 *   <li>FAILED is Carteiro's own fault (no content, a message that could not be built) or a refusal that says
 *       nothing about the recipient (message too big, content refused), and never counts against the subscriber;
 *       except a full mailbox (5.2.2) and a domain whose exchangers cannot be used (5.4.x), which are the
 *       recipient's side and count as one soft bounce.</li>
 * </ul>
 */
@ApplicationScoped
class EngineOutcomes implements DeliveryOutcomeListener {

    private final BounceRecorder recorder;

    EngineOutcomes(BounceRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void onFinalOutcomes(List<DeliveryOutcome> outcomes) {
        List<BounceLedger.NewBounce> bounces = new ArrayList<>();
        for (DeliveryOutcome outcome : outcomes) {
            BounceKind kind = kindOf(outcome);
            if (kind != null && outcome.subscriberId() != null) {
                bounces.add(new BounceLedger.NewBounce(new BouncedMessage(outcome.outboundMessageId(),
                        outcome.subscriberId(), outcome.campaignId(), outcome.listId(), outcome.recipient()), kind,
                        BounceSource.SMTP, outcome.code(), outcome.enhancedStatus(), outcome.text(), outcome.at()));
            }
        }
        if (!bounces.isEmpty()) {
            recorder.record(bounces);
        }
    }

    /** The bounce an outcome is, or null when it is none. */
    static BounceKind kindOf(DeliveryOutcome outcome) {
        return switch (outcome.kind()) {
            case BOUNCED -> EnhancedStatus.kindOf(outcome.enhancedStatus()) == BounceKind.SOFT
                    ? BounceKind.SOFT : BounceKind.HARD;
            case EXPIRED -> BounceKind.SOFT;
            case BLOCKED -> BounceKind.BLOCKED;
            case FAILED -> recipientsSide(outcome.enhancedStatus()) ? BounceKind.SOFT : null;
            case DELIVERED, DEFERRED -> null;
        };
    }

    private static boolean recipientsSide(String status) {
        return status != null && (status.equals("5.2.2") || status.startsWith("5.4."));
    }
}
