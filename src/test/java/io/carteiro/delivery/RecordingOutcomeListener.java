package io.carteiro.delivery;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every final outcome the engine reports, for tests to look at. */
@ApplicationScoped
public class RecordingOutcomeListener implements DeliveryOutcomeListener {

    private final List<DeliveryOutcome> outcomes = new CopyOnWriteArrayList<>();

    @Override
    public void onFinalOutcomes(List<DeliveryOutcome> batch) {
        outcomes.addAll(batch);
    }

    public Optional<DeliveryOutcome> of(long outboundMessageId) {
        return outcomes.stream().filter(o -> o.outboundMessageId() == outboundMessageId).findFirst();
    }
}
