package io.carteiro.delivery;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's side of a recipient domain's published TLS policy (MTA-STS, RFC 8461 §5): in mode {@code enforce} only
 * the MX hosts the policy names, only over TLS with a certificate that is trusted and names that MX, else the message
 * is deferred; in mode {@code testing} the message is delivered anyway and the failure is in the attempt log. Both
 * report each failure to the policy source. The policies come from {@link TestOnlyDomainTlsPolicies}; the servers are
 * real SMTP servers on loopback with real certificates.
 */
@QuarkusTest
@TestProfile(MtaStsNetwork.class)
class MtaStsHookTest {

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;
    SelfSignedTls.Server trusted;

    @Inject
    MailQueue queue;
    @Inject
    DeliveryTestSupport support;
    @Inject
    TestOnlyDomainTlsPolicies policies;
    @Inject
    AgroalDataSource dataSource;

    QueueRows rows;
    final List<AutoCloseable> servers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        rows = new QueueRows(dataSource);
    }

    @AfterEach
    void closeServers() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    /** An exchanger with working STARTTLS, published as the domain's MX {@code mx<preference>.<domain>}. */
    TestSmtpServer tlsExchanger(String domain, int preference, SSLContext certificate) throws IOException {
        TestSmtpServer server = TestSmtpServer.startWithStartTls(ports.nextAddress(), ports.port(), certificate);
        servers.add(server);
        publishMx(domain, preference, server.address());
        return server;
    }

    void publishMx(String domain, int preference, String address) throws IOException {
        dns.mx(domain, preference, "mx" + preference + "." + domain).a("mx" + preference + "." + domain, address);
    }

    long queue(String to) {
        return QuarkusTransaction.requiringNew().call(() -> queue.submit(new OutgoingMail("news@sender.test", to,
                "Policy", null, "text", Map.of(), null, null)));
    }

    static DomainTlsPolicy.Enforce enforce(String... patterns) {
        return new DomainTlsPolicy.Enforce(List.of(patterns));
    }

    static DomainTlsPolicy.Testing testing(String... patterns) {
        return new DomainTlsPolicy.Testing(List.of(patterns));
    }

    @Test
    void enforceShouldDeliverOverTlsWithAVerifiedCertificateNamingTheMx() throws Exception {
        TestSmtpServer mx = tlsExchanger("enforce-ok.test", 10, trusted.context());
        policies.publish("enforce-ok.test", enforce("mx10.enforce-ok.test"));
        long id = queue("ana@enforce-ok.test");

        assertEquals("sent", support.deliver(id));

        assertEquals(1, mx.received().size());
        assertTrue(rows.attempts(id).get(0).tls());
        assertTrue(policies.failuresOf("enforce-ok.test").isEmpty());
    }

    @Test
    void enforceShouldDeferWhenTheCertificateIsNotTrusted() throws Exception {
        TestSmtpServer mx = tlsExchanger("enforce-untrusted.test", 10,
                SelfSignedTls.context("mx10.enforce-untrusted.test"));
        policies.publish("enforce-untrusted.test", enforce("*.enforce-untrusted.test"));
        long id = queue("bo@enforce-untrusted.test");

        assertEquals("deferred", support.deliver(id));

        assertTrue(mx.received().isEmpty(), "nothing went over an unverified session");
        QueueRows.Attempt attempt = rows.attempts(id).get(0);
        assertEquals("4.7.5", attempt.enhancedStatus());
        assertEquals(List.of("certificate-not-trusted"), types("enforce-untrusted.test"));
    }

    @Test
    void enforceShouldDeferWhenTheCertificateDoesNotNameTheMx() throws Exception {
        TestSmtpServer mx = tlsExchanger("enforce-mismatch.test", 10, trusted.context());
        policies.publish("enforce-mismatch.test", enforce("mx10.enforce-mismatch.test"));
        long id = queue("cy@enforce-mismatch.test");

        assertEquals("deferred", support.deliver(id));

        assertTrue(mx.received().isEmpty());
        assertEquals(List.of("certificate-host-mismatch"), types("enforce-mismatch.test"));
    }

    @Test
    void enforceShouldDeferWhenTheMxOffersNoTls() throws Exception {
        TestSmtpServer plain = TestSmtpServer.start(ports.nextAddress(), ports.port(), TestSmtpServer.Behaviour.ACCEPT);
        servers.add(plain);
        publishMx("enforce-plain.test", 10, plain.address());
        policies.publish("enforce-plain.test", enforce("mx10.enforce-plain.test"));
        long id = queue("di@enforce-plain.test");

        assertEquals("deferred", support.deliver(id));

        assertTrue(plain.received().isEmpty(), "nothing went in plain text");
        assertTrue(rows.row(id).lastReply().contains("does not offer STARTTLS"), rows.row(id).lastReply());
        assertEquals(List.of("starttls-not-supported"), types("enforce-plain.test"));
    }

    @Test
    void enforceShouldUseOnlyTheMxHostsThePolicyNames() throws Exception {
        TestSmtpServer unlisted = tlsExchanger("enforce-wrong-mx.test", 10, trusted.context());
        TestSmtpServer listed = tlsExchanger("enforce-wrong-mx.test", 20, trusted.context());
        policies.publish("enforce-wrong-mx.test", enforce("mx20.enforce-wrong-mx.test"));
        long id = queue("eve@enforce-wrong-mx.test");

        assertEquals("sent", support.deliver(id));

        assertTrue(unlisted.received().isEmpty() && unlisted.sessions() == 0, "the unlisted MX was not used");
        assertEquals(1, listed.received().size());
        assertEquals("mx20.enforce-wrong-mx.test", rows.row(id).lastMx());
        assertEquals(List.of("validation-failure"), types("enforce-wrong-mx.test"));
        assertEquals("mx10.enforce-wrong-mx.test", policies.failuresOf("enforce-wrong-mx.test").get(0).mxHost());
    }

    @Test
    void testingShouldDeliverDespiteAnUntrustedCertificateAndRecordTheFailure() throws Exception {
        TestSmtpServer mx = tlsExchanger("testing-untrusted.test", 10,
                SelfSignedTls.context("mx10.testing-untrusted.test"));
        policies.publish("testing-untrusted.test", testing("mx10.testing-untrusted.test"));
        long id = queue("flo@testing-untrusted.test");

        assertEquals("sent", support.deliver(id));

        assertEquals(1, mx.received().size());
        List<QueueRows.Attempt> attempts = rows.attempts(id);
        assertTrue(attempts.stream().anyMatch(a -> a.reply().contains("MTA-STS (testing)")), attempts.toString());
        QueueRows.Attempt delivered = attempts.get(attempts.size() - 1);
        assertEquals("delivered", delivered.outcome());
        assertTrue(delivered.tls(), "still encrypted, only not verified");
        assertEquals(List.of("certificate-not-trusted"), types("testing-untrusted.test"));
    }

    @Test
    void testingShouldDeliverToAnUnlistedMxAndRecordTheFailure() throws Exception {
        TestSmtpServer mx = tlsExchanger("testing-wrong-mx.test", 10, trusted.context());
        policies.publish("testing-wrong-mx.test", testing("mx.elsewhere.test"));
        long id = queue("gus@testing-wrong-mx.test");

        assertEquals("sent", support.deliver(id));

        assertEquals(1, mx.received().size());
        assertTrue(rows.attempts(id).stream().anyMatch(a -> a.reply().contains("not among the MX hosts")),
                rows.attempts(id).toString());
        assertEquals(List.of("validation-failure"), types("testing-wrong-mx.test"));
    }

    @Test
    void aDomainWithoutAPolicyShouldKeepOpportunisticTls() throws Exception {
        TestSmtpServer mx = tlsExchanger("no-policy.test", 10, SelfSignedTls.context("mx10.no-policy.test"));
        long id = queue("hal@no-policy.test");

        assertEquals("sent", support.deliver(id));

        assertEquals(1, mx.received().size());
        assertTrue(rows.attempts(id).get(0).tls());
        assertFalse(rows.attempts(id).stream().anyMatch(a -> a.reply() != null && a.reply().contains("MTA-STS")));
        assertTrue(policies.failuresOf("no-policy.test").isEmpty());
    }

    List<String> types(String domain) {
        return policies.failuresOf(domain).stream().map(TestOnlyDomainTlsPolicies.Failure::resultType).toList();
    }
}
