package io.carteiro.delivery;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test profile that points the delivery engine at a DNS server on a loopback port and lets it use exchangers on
 * 127.0.0.x, all listening on one shared port (the engine's {@code carteiro.delivery.mx-port}), with short
 * timeouts.
 */
public class LoopbackNetwork implements QuarkusTestProfile {

    /** Loopback addresses handed out to test servers; each test takes fresh ones. */
    static final int FIRST_HOST = 2;
    static final int LAST_HOST = 60;

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("carteiro.delivery.allow-private-exchangers", "true");
        config.put("carteiro.delivery.dns-timeout", "PT0.5S");
        config.put("carteiro.delivery.timeouts.connect", "PT2S");
        config.put("carteiro.delivery.timeouts.greeting", "PT2S");
        config.put("carteiro.delivery.timeouts.command", "PT2S");
        config.put("carteiro.delivery.timeouts.data-start", "PT2S");
        config.put("carteiro.delivery.timeouts.data-block", "PT2S");
        config.put("carteiro.delivery.timeouts.data-end", "PT2S");
        config.put("carteiro.delivery.timeouts.transaction", "PT10S");
        config.put("carteiro.delivery.throttle.suspend-after", "5");
        // One session per destination, so tests that count sessions or attempts see them in order.
        config.put("carteiro.delivery.destination-concurrency", "1");
        config.put("carteiro.delivery.initial-destination-concurrency", "1");
        config.put("carteiro.delivery.heartbeat-interval", "PT0.5S");
        config.put("carteiro.delivery.sender-enabled", "false");
        config.put("carteiro.delivery.tls.required-domains", "tls-required.test,tls-required-shared.test");
        return config;
    }

    /** Starts the DNS server and finds a port free on every test address. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {

        private LoopbackDnsServer dns;
        private Ports ports;

        @Override
        public Map<String, String> start() {
            try {
                dns = LoopbackDnsServer.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ports = new Ports(freeSharedPort());
            return Map.of("carteiro.delivery.dns-servers", dns.address(),
                    "carteiro.delivery.mx-port", Integer.toString(ports.port()));
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(dns, new TestInjector.MatchesType(LoopbackDnsServer.class));
            injector.injectIntoFields(ports, new TestInjector.MatchesType(Ports.class));
        }

        @Override
        public void stop() {
            try {
                dns.close();
            } catch (IOException e) {
                // the JVM is ending anyway
            }
        }

        /** A port outside the ephemeral range that is free on all test addresses. */
        static int freeSharedPort() {
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(20000, 30000);
                if (freeOnAll(port)) {
                    return port;
                }
            }
            throw new IllegalStateException("no port is free on 127.0.0." + FIRST_HOST + "-" + LAST_HOST);
        }

        private static boolean freeOnAll(int port) {
            for (int host = FIRST_HOST; host <= LAST_HOST; host++) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + host), port));
                } catch (IOException e) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Also makes a certificate the engine trusts ({@code carteiro.delivery.tls.trusted-certificates}) and hands it to
     * the test's {@link SelfSignedTls.Server} field.
     */
    public abstract static class TrustingResource extends Resource {
        private final String commonName;
        private final String subjectAlternativeNames;
        private SelfSignedTls.Server trusted;

        /** @param subjectAlternativeNames in keytool's syntax: {@code DNS:a.test,IP:127.0.0.1} */
        protected TrustingResource(String commonName, String subjectAlternativeNames) {
            this.commonName = commonName;
            this.subjectAlternativeNames = subjectAlternativeNames;
        }

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            try {
                trusted = SelfSignedTls.server(commonName, subjectAlternativeNames);
            } catch (Exception e) {
                throw new IllegalStateException("no test certificate: " + e.getMessage(), e);
            }
            config.put("carteiro.delivery.tls.trusted-certificates", trusted.certificate().toString());
            return config;
        }

        @Override
        public void inject(TestInjector injector) {
            super.inject(injector);
            injector.injectIntoFields(trusted, new TestInjector.MatchesType(SelfSignedTls.Server.class));
        }
    }

    /** The shared exchanger port and the next free loopback address. */
    public static final class Ports {
        private final int port;
        private final AtomicInteger nextHost = new AtomicInteger(FIRST_HOST);

        Ports(int port) {
            this.port = port;
        }

        public int port() {
            return port;
        }

        /** A loopback address no earlier test used. */
        public String nextAddress() {
            int host = nextHost.getAndIncrement();
            if (host > LAST_HOST) {
                throw new IllegalStateException("out of test addresses; raise LoopbackNetwork.LAST_HOST");
            }
            return "127.0.0." + host;
        }
    }
}
