package io.carteiro.delivery;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Relay settings that can never work stop the packaged application at start, saying which setting is wrong
 * (issue 12.18), instead of failing every delivery later: an unknown TLS mode, and credentials without TLS.
 */
class RelaySettingsStartTest {

    PackagedCarteiro carteiro;

    @AfterEach
    void stop() throws Exception {
        if (carteiro != null) {
            carteiro.close();
        }
    }

    @Test
    void anUnknownRelayTlsModeShouldStopTheStart() throws Exception {
        carteiro = PackagedCarteiro.withSharedDatabase();

        String log = carteiro.startRefused("typo", Path.of("target", "engine-" + carteiro.tag + "-typo"), Map.of(
                "carteiro.delivery.relay.host", "smarthost.engine.test",
                "carteiro.delivery.relay.tls", "startls"));

        assertTrue(log.contains("carteiro.delivery.relay.tls") && log.contains("startls"), log);
    }

    @Test
    void relayCredentialsWithoutTlsShouldStopTheStart() throws Exception {
        carteiro = PackagedCarteiro.withSharedDatabase();

        String log = carteiro.startRefused("plain", Path.of("target", "engine-" + carteiro.tag + "-plain"), Map.of(
                "carteiro.delivery.relay.host", "smarthost.engine.test",
                "carteiro.delivery.relay.tls", "none",
                "carteiro.delivery.relay.username", "relay-user",
                "carteiro.delivery.relay.password", "relay secret"));

        assertTrue(log.contains("carteiro.delivery.relay.tls=none with relay credentials"), log);
        assertTrue(!log.contains("relay secret"), "the password is not logged");
    }
}
