package io.carteiro.campaigns;

import io.carteiro.deliverability.RspamdPort;
import io.carteiro.delivery.LoopbackNetwork;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The delivery engine's loopback network, with a short failure streak and the ticker left to the tests; tracking
 * hits count even seconds after sending (a test clicks right after delivery), so the other machine signals are the
 * ones that the engagement tests replay. The desk's content score asks an rspamd on a loopback port that the tests
 * fill ({@link RspamdPort}).
 */
public class CampaignNetwork extends LoopbackNetwork {

    @Override
    public List<TestResourceEntry> testResources() {
        List<TestResourceEntry> resources = new ArrayList<>(super.testResources());
        resources.add(new TestResourceEntry(RspamdPort.Resource.class));
        return resources;
    }

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
