package io.carteiro.campaigns;

import io.carteiro.delivery.LoopbackNetwork;

import java.util.HashMap;
import java.util.Map;

/**
 * The delivery engine's loopback network, with a short failure streak and the ticker left to the tests; tracking
 * hits count even seconds after sending (a test clicks right after delivery), so the other machine signals are the
 * ones that the engagement tests replay.
 */
public class CampaignNetwork extends LoopbackNetwork {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("carteiro.campaigns.failure-streak", "5");
        config.put("carteiro.campaigns.own-failure-limit", "3");
        config.put("carteiro.campaigns.tick-every", "1h");
        config.put("carteiro.engagement.machine.min-delay-after-send", "PT0S");
        return config;
    }
}
