package io.carteiro.delivery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The loopback network of {@link LoopbackNetwork}, with relay mode on: every message goes to one smarthost, whose
 * certificate (for 127.0.0.1) the engine trusts through {@code carteiro.delivery.tls.trusted-certificates}.
 */
public class RelayNetwork extends LoopbackNetwork {

    static final String USER = "relay-user";
    static final String PASSWORD = "relay secret";

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("carteiro.delivery.relay.host", "127.0.0.1");
        config.put("carteiro.delivery.relay.username", USER);
        config.put("carteiro.delivery.relay.password", PASSWORD);
        config.put("carteiro.delivery.relay.tls", "starttls");
        return config;
    }

    /** Also picks the smarthost's port and makes its certificate. */
    public static class Resource extends LoopbackNetwork.TrustingResource {
        public Resource() {
            super("smarthost.test", "IP:127.0.0.1,DNS:smarthost.test");
        }

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            config.put("carteiro.delivery.relay.port", config.get("carteiro.delivery.mx-port"));
            return config;
        }
    }
}
