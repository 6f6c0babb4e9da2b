package io.carteiro.engagement;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HitSignalsTest {

    static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36";

    static EngagementConfig.Machine machine(List<String> agents, List<String> addresses) {
        return new EngagementConfig.Machine() {
            public List<String> userAgents() {
                return agents;
            }

            public Optional<List<String>> addresses() {
                return Optional.of(addresses);
            }

            public List<String> privacyProxyUserAgents() {
                return List.of("Mozilla/5\\.0");
            }

            public List<String> privacyProxyAddresses() {
                return List.of("17.0.0.0/8");
            }

            public Duration minDelayAfterSend() {
                return Duration.ofSeconds(10);
            }

            public Duration headWindow() {
                return Duration.ofSeconds(2);
            }

            public int burstLinks() {
                return 3;
            }

            public Duration burstWindow() {
                return Duration.ofSeconds(2);
            }

            public Duration decoyWindow() {
                return Duration.ofSeconds(30);
            }
        };
    }

    final HitSignals signals = new HitSignals(machine(List.of("barracuda", "python-requests", "bot\\b"),
            List.of("198.51.100.0/24", "2001:db8::/32")));

    @Test
    void aBrowserShouldSayNothing() {
        assertEquals(0, signals.of(false, CHROME, AddressRanges.literal("203.0.113.9"), null));
    }

    @Test
    void scannersShouldBeKnownByAgentAddressAndMethod() {
        assertEquals(HitSignals.HEAD | HitSignals.SCANNER_AGENT,
                signals.of(true, "Barracuda Sentinel (EE)", null, null));
        assertEquals(HitSignals.SCANNER_ADDRESS, signals.of(false, CHROME, AddressRanges.literal("198.51.100.77"), null));
        assertEquals(HitSignals.SCANNER_ADDRESS, signals.of(false, CHROME, AddressRanges.literal("2001:db8::5"), null));
        assertEquals(HitSignals.NO_AGENT, signals.of(false, null, null, null));
        assertEquals(HitSignals.PREFETCH, signals.of(false, CHROME, null, "prefetch;prerender"));
        assertEquals(0, signals.of(false, "Mozilla/5.0 (compatible; Robotic Lawnmower)", null, null),
                "bot\\b must not match inside another word");
    }

    @Test
    void applesPrivacyProxyShouldBeKnownByItsBareAgentAndItsAddresses() {
        assertEquals(HitSignals.PROXY_AGENT | HitSignals.PROXY_ADDRESS,
                signals.of(false, "Mozilla/5.0", AddressRanges.literal("17.58.0.1"), null));
        assertEquals(0, signals.of(false, CHROME, null, null), "only the bare agent, not every Mozilla/5.0 browser");
    }

    @Test
    void aMalformedRangeShouldNameItself() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HitSignals(machine(List.of(), List.of("10.0.0.0/33"))));
        assertEquals("carteiro.engagement.machine.addresses: '10.0.0.0/33' has a prefix length beyond 32",
                e.getMessage());
        assertEquals(null, AddressRanges.literal("example.org"), "a name is never looked up");
    }
}
