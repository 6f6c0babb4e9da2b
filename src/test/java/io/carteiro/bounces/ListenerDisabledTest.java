package io.carteiro.bounces;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** With {@code carteiro.bounce.listener-enabled=false} (bounces come from a mailbox) no port is opened. */
@QuarkusTest
@TestProfile(ListenerDisabledTest.Disabled.class)
class ListenerDisabledTest {

    /** Turns the listener off. */
    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("carteiro.bounce.listener-enabled", "false");
        }
    }

    @Inject
    BounceListener listener;

    @Test
    void listenerShouldNotRunWhenDisabled() {
        assertThrows(IllegalStateException.class, listener::port);
    }
}
