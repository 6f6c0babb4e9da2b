package io.carteiro.bounces;

import io.carteiro.delivery.DeliveryOutcome;
import io.carteiro.delivery.DeliveryOutcomeListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Feeds the delivery engine's final outcomes into the {@link BounceRecorder}: a rejection the recipient's server
 * gave during the SMTP transaction counts like a bounce that arrives later. Bounced is the recipient's fault (hard),
 * blocked is policy (recorded only), expired (given up after the retry period of temporary failures) is a soft
 * bounce, and failed is Carteiro's own fault, never counted against the subscriber. Called inside the engine's
 * outcome transaction.
 */
@ApplicationScoped
class EngineOutcomes implements DeliveryOutcomeListener {

    private static final Logger LOG = Logger.getLogger(EngineOutcomes.class);

    private final BounceRecorder recorder;

    EngineOutcomes(BounceRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void onFinalOutcomes(List<DeliveryOutcome> outcomes) {
        for (DeliveryOutcome outcome : outcomes) {
            BounceKind kind = switch (outcome.kind()) {
                case BOUNCED -> EnhancedStatus.kindOf(outcome.enhancedStatus()) == BounceKind.SOFT
                        ? BounceKind.SOFT : BounceKind.HARD;
                case BLOCKED -> BounceKind.BLOCKED;
                case EXPIRED -> BounceKind.SOFT;
                default -> null;
            };
            if (kind == null || outcome.subscriberId() == null) {
                continue;
            }
            try {
                recorder.recordEngineOutcome(outcome.outboundMessageId(), kind, outcome.code(),
                        outcome.enhancedStatus(), outcome.text());
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not record the outcome of message %d", outcome.outboundMessageId());
            }
        }
    }
}
