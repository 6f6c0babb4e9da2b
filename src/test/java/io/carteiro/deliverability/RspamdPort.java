package io.carteiro.deliverability;

import io.carteiro.support.LoopbackPorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * The loopback port the application's {@code carteiro.deliverability.rspamd-url} points at. Nothing listens there
 * until a test puts something there (a real {@link Rspamd}, a server that never answers), so one application meets
 * an rspamd that is missing, slow and working.
 */
public final class RspamdPort {

    private final int port;

    RspamdPort(int port) {
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** Picks the port and hands it to the test's {@link RspamdPort} field; the timeout is short for the slow case. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {
        private RspamdPort port;

        @Override
        public Map<String, String> start() {
            port = new RspamdPort(LoopbackPorts.freeOnHosts(1, 1, 30000, 32000));
            return Map.of("carteiro.deliverability.rspamd-url", "http://127.0.0.1:" + port.port(),
                    "carteiro.deliverability.rspamd-timeout", "PT5S");
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(port, new TestInjector.MatchesType(RspamdPort.class));
        }

        @Override
        public void stop() {
            // nothing runs here between tests
        }
    }
}
