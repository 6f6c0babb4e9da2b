package io.carteiro.delivery;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message whose retry period is over when a temporary failure comes back expires: one soft bounce for the bounce
 * rules, told apart from Carteiro's own failures. The retry period is configuration (here none at all), so the test
 * reaches that state as an installation would.
 */
@QuarkusTest
@TestProfile(ExpiryTest.NoRetries.class)
class ExpiryTest {

    /** The loopback network with a retry period of zero. */
    public static class NoRetries extends LoopbackNetwork {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("carteiro.delivery.give-up-after", "PT0S");
            return config;
        }
    }

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    MailQueue queue;
    @Inject
    DeliveryTestSupport support;
    @Inject
    RecordingOutcomeListener outcomes;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void aMessageShouldExpireWhenItsRetryPeriodIsOver() throws Exception {
        try (TestSmtpServer busy = TestSmtpServer.start(ports.nextAddress(), ports.port(),
                TestSmtpServer.Behaviour.DEFER_451)) {
            dns.mx("expiring.test", 10, "mx.expiring.test").a("mx.expiring.test", busy.address());
            long id = QuarkusTransaction.requiringNew().call(() -> queue.submit(new OutgoingMail("news@sender.test",
                    "max@expiring.test", "Soon gone", null, "text", Map.of(), null, null)));

            assertEquals("failed", support.deliver(id));

            QueueRows rows = new QueueRows(dataSource);
            QueueRows.Row row = rows.row(id);
            assertTrue(row.lastReply().startsWith("gave up after 1 attempts"), row.lastReply());
            assertEquals(451, row.lastCode());
            List<QueueRows.Attempt> attempts = rows.attempts(id);
            assertEquals("expired", attempts.get(attempts.size() - 1).outcome());
            assertEquals(OutcomeKind.EXPIRED, outcomes.of(id).orElseThrow().kind());
        }
    }
}
