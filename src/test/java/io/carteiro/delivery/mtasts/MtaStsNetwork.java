package io.carteiro.delivery.mtasts;

import io.carteiro.delivery.LoopbackDnsServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A test profile with real peers on loopback for MTA-STS: a DNS server for the TXT and A records, a test CA, and an
 * HTTPS server on 127.0.0.1 playing every {@code mta-sts.<domain>} policy host with certificates from that CA.
 */
public class MtaStsNetwork implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // refresh-interval 0: a TXT record is looked at again on every call, so a test sees an id change on its
        // next call; the waits are generous on a shared, busy machine: tests assert what the first answer is, not
        // how fast it came
        return Map.of("carteiro.delivery.allow-private-exchangers", "true",
                "carteiro.delivery.dns-timeout", "PT0.5S",
                "carteiro.delivery.mta-sts.refresh-interval", "PT0S",
                "carteiro.delivery.mta-sts.first-fetch-wait", "PT10S",
                "carteiro.delivery.mta-sts.fetch-timeout", "PT20S");
    }

    /** Starts the DNS server, the CA and the policy server, and points the fetch at them. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {

        private LoopbackDnsServer dns;
        private TestCa ca;
        private PolicyServer server;

        @Override
        public Map<String, String> start() {
            try {
                dns = LoopbackDnsServer.start();
                ca = TestCa.create("Carteiro Test CA");
                server = PolicyServer.start(ca.issue("fallback.invalid"));
                Path root = ca.writeRoot(Path.of("target", "mta-sts-test", "ca-" + ProcessHandle.current().pid()
                        + ".pem").toAbsolutePath());
                return Map.of("carteiro.delivery.dns-servers", dns.address(),
                        "carteiro.delivery.mta-sts.port", Integer.toString(server.port()),
                        "carteiro.delivery.mta-sts.trust-store", root.toString());
            } catch (Exception e) {
                throw new IllegalStateException("could not start the MTA-STS test network", e);
            }
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(dns, new TestInjector.MatchesType(LoopbackDnsServer.class));
            injector.injectIntoFields(ca, new TestInjector.MatchesType(TestCa.class));
            injector.injectIntoFields(server, new TestInjector.MatchesType(PolicyServer.class));
        }

        @Override
        public void stop() {
            server.close();
            try {
                dns.close();
            } catch (java.io.IOException e) {
                // the JVM is ending anyway
            }
        }
    }
}
