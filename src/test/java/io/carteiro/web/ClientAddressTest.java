package io.carteiro.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientAddressTest {

    @Test
    void withoutTrustedProxiesTheClientIsThePeerWhateverItForwards() {
        ClientAddress none = new ClientAddress(List.of());
        assertEquals("127.0.0.1", none.resolve("127.0.0.1", List.of("198.51.100.77, 127.0.0.1")));
        assertEquals("10.1.2.3", none.resolve("10.1.2.3", List.of("198.51.100.77")));
    }

    @Test
    void theClientIsTheRightmostAddressThatIsNotATrustedProxy() {
        ClientAddress proxies = new ClientAddress(List.of("10.0.0.0/8"));
        // the client wrote 203.0.113.9 itself; the proxy appended the address it really saw
        assertEquals("198.51.100.77", proxies.resolve("10.0.0.5", List.of("203.0.113.9, 198.51.100.77")));
        assertEquals("198.51.100.77", proxies.resolve("10.0.0.5", List.of("198.51.100.77, 10.9.9.9")));
        assertEquals("198.51.100.77", proxies.resolve("10.0.0.5", List.of("203.0.113.9", "198.51.100.77, 10.9.9.9")),
                "several header lines are one list");
    }

    @Test
    void aPeerThatIsNotATrustedProxyIsTheClient() {
        ClientAddress proxies = new ClientAddress(List.of("10.0.0.0/8"));
        assertEquals("192.0.2.1", proxies.resolve("192.0.2.1", List.of("10.0.0.7")));
    }

    @Test
    void whenEveryHopIsTrustedTheFarthestOneIsTheClient() {
        ClientAddress proxies = new ClientAddress(List.of("10.0.0.0/8"));
        assertEquals("10.1.1.1", proxies.resolve("10.0.0.5", List.of("10.1.1.1, 10.2.2.2")));
        assertEquals("10.0.0.5", proxies.resolve("10.0.0.5", List.of()));
    }

    @Test
    void somethingThatIsNotAnAddressStopsAtTheNearestTrustedProxy() {
        ClientAddress proxies = new ClientAddress(List.of("10.0.0.0/8"));
        assertEquals("10.0.0.7", proxies.resolve("10.0.0.5", List.of("198.51.100.77, evil.test, 10.0.0.7")));
        assertEquals("10.0.0.5", proxies.resolve("10.0.0.5", List.of("unknown")));
    }

    @Test
    void addressesWithPortsAndIpv6AreRead() {
        ClientAddress proxies = new ClientAddress(List.of("::1/128", "127.0.0.1"));
        assertEquals("2001:db8:0:0:0:0:0:1", proxies.resolve("0:0:0:0:0:0:0:1", List.of("[2001:db8::1]:4711")));
        assertEquals("192.0.2.44", proxies.resolve("127.0.0.1", List.of("192.0.2.44:5555")));
        assertEquals("2001:db8:0:0:0:0:0:2", proxies.resolve("127.0.0.1", List.of("2001:db8::2")));
        assertTrue(proxies.isTrusted("127.0.0.1"));
        assertFalse(proxies.isTrusted("127.0.0.2"));
    }

    @Test
    void aMalformedTrustedProxyIsRefusedWithItsName() {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> new ClientAddress(List.of("proxy.internal")));
        assertTrue(name.getMessage().contains("'proxy.internal'"), name.getMessage());
        IllegalArgumentException prefix = assertThrows(IllegalArgumentException.class,
                () -> new ClientAddress(List.of("10.0.0.0/33")));
        assertTrue(prefix.getMessage().contains("0-32"), prefix.getMessage());
    }
}
