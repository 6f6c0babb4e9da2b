package io.carteiro.bounces;

import io.carteiro.delivery.LoopbackNetwork;

import java.util.HashMap;
import java.util.Map;

/**
 * The delivery engine's loopback network for bounce tests, with a retry period of seconds (so a message that keeps
 * getting 4xx expires while the test watches), no suspended destinations and short listener deadlines.
 */
public class BounceNetwork extends LoopbackNetwork {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("carteiro.delivery.give-up-after", "PT4S");
        config.put("carteiro.delivery.first-retry", "PT0.3S");
        // no connection outlives its message, so no test meets a connection an exchanger closed while it idled
        config.put("carteiro.delivery.max-messages-per-connection", "1");
        config.put("carteiro.delivery.throttle.suspend-after", "0");
        config.put("carteiro.bounce.session-timeout", "PT6S");
        config.put("carteiro.bounce.review-total-limit", "3000000");
        config.put("carteiro.bounce.review-retention", "PT15S");
        return config;
    }
}
