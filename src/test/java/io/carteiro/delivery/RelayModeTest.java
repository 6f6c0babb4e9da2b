package io.carteiro.delivery;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Relay mode: no MX lookup; every message goes to the smarthost over STARTTLS with a verified certificate, then AUTH;
 * a smarthost whose certificate is not trusted gets neither the credentials nor the message.
 */
@QuarkusTest
@TestProfile(RelayNetwork.class)
class RelayModeTest {

    LoopbackNetwork.Ports ports;
    SelfSignedTls.Server smarthostTls;

    @Inject
    MailQueue queue;
    @Inject
    DeliveryTestSupport support;
    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Test
    void relayModeShouldHandEveryMessageToTheSmarthostWithStartTlsAndAuth() throws Exception {
        try (TestSmtpServer smarthost = TestSmtpServer.startSubmission("127.0.0.1", ports.port(),
                smarthostTls.context(), RelayNetwork.USER, RelayNetwork.PASSWORD)) {
            // The recipient domain has no DNS at all: relay mode does not look it up.
            long id = QuarkusTransaction.requiringNew().call(() -> queue.submit(new OutgoingMail(
                    "news@sender.test", "someone@nowhere-in-dns.test", "Via relay", null, "hello", Map.of(),
                    null, null)));

            assertEquals("sent", support.deliver(id));

            assertEquals(1, smarthost.received().size());
            assertEquals("someone@nowhere-in-dns.test", smarthost.received().get(0).to());
            assertEquals(Set.of(RelayNetwork.USER), smarthost.logins());
            QueueRows.Attempt attempt = new QueueRows(dataSource).attempts(id).get(0);
            assertEquals("127.0.0.1", attempt.exchanger());
            assertTrue(attempt.tls(), "the submission went over STARTTLS");
        }
    }

    @Test
    void aSmarthostWithAnUntrustedCertificateShouldGetNeitherCredentialsNorMail() throws Exception {
        try (TestSmtpServer impostor = TestSmtpServer.startSubmission("127.0.0.1", ports.port(),
                SelfSignedTls.context("127.0.0.1"), RelayNetwork.USER, RelayNetwork.PASSWORD)) {
            long id = QuarkusTransaction.requiringNew().call(() -> queue.submit(new OutgoingMail(
                    "news@sender.test", "someone@nowhere-in-dns.test", "Via relay", null, "hello", Map.of(),
                    null, null)));

            assertEquals("deferred", support.deliver(id));

            assertTrue(impostor.logins().isEmpty(), "no credentials went to an unverified server");
            assertTrue(impostor.received().isEmpty());
            QueueRows.Attempt attempt = new QueueRows(dataSource).attempts(id).get(0);
            assertEquals("4.7.5", attempt.enhancedStatus());
            assertTrue(attempt.reply().contains("TLS handshake"), attempt.reply());
        }
    }
}
