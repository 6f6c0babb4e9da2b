package io.carteiro.delivery;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sender against real SMTP servers on 127.0.0.x and a real DNS server on a loopback port. */
@QuarkusTest
@TestProfile(LoopbackNetwork.class)
class QueueSenderTest {

    private static final AtomicInteger DOMAINS = new AtomicInteger();

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    MailQueue queue;
    @Inject
    QueueSender sender;
    @Inject
    VerpAddress verp;
    @Inject
    RecordingOutcomeListener outcomes;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    SwitchableQueueFilling filling;
    @Inject
    DeliveryConfig config;

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

    String newDomain() {
        return "d" + DOMAINS.incrementAndGet() + "-" + System.nanoTime() % 100000 + ".test";
    }

    TestSmtpServer smtp(TestSmtpServer.Behaviour behaviour) {
        TestSmtpServer server = TestSmtpServer.start(ports.nextAddress(), ports.port(), behaviour);
        servers.add(server);
        return server;
    }

    /** Publishes an MX for the domain pointing at a host with this address. */
    void mx(String domain, int preference, String address) throws IOException {
        String host = "mx" + preference + "." + domain;
        dns.mx(domain, preference, host).a(host, address);
    }

    long queue(String to) {
        return QuarkusTransaction.requiringNew().call(() -> queue.submit(new OutgoingMail(
                "Boletim Carteiro <news@sender.test>", to, "Olá — novidades", "<p>Olá <b>mundo</b></p>",
                "Olá mundo\n.line starting with a dot", Map.of("List-Id", "<news.sender.test>"), null, null)));
    }

    /** Runs the sender until this row has left 'queued'/'sending' (bounded by a deadline). */
    QueueRows.Row deliver(long id) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            sender.runOnce();
            QueueRows.Row row = rows.row(id);
            if (!row.state().equals("queued") && !row.state().equals("sending")) {
                return row;
            }
        }
        throw new AssertionError("message " + id + " was not processed in time");
    }

    @Test
    void deliverShouldHandTheMessageToTheBestExchangerWithAVerpReturnPath() throws IOException {
        String domain = newDomain();
        TestSmtpServer best = smtp(TestSmtpServer.Behaviour.ACCEPT);
        TestSmtpServer worse = smtp(TestSmtpServer.Behaviour.ACCEPT);
        mx(domain, 20, worse.address());
        mx(domain, 10, best.address());
        long id = queue("ana@" + domain);

        QueueRows.Row row = deliver(id);

        assertEquals("sent", row.state());
        assertEquals(250, row.lastCode());
        assertEquals("mx10." + domain, row.lastMx());
        assertNotNull(row.sentAt());
        assertEquals(1, best.received().size());
        assertTrue(worse.received().isEmpty());
        TestSmtpServer.Received received = best.received().get(0);
        assertEquals(OptionalLong.of(id), verp.decode(received.from()));
        assertEquals("ana@" + domain, received.to());
        String text = received.text();
        assertTrue(text.contains("Message-ID: " + row.messageId()), text);
        assertTrue(text.contains("Subject: =?UTF-8?Q?"), text);
        assertTrue(text.contains("multipart/alternative"), text);
        assertTrue(text.contains("List-Id: <news.sender.test>"), text);
        assertTrue(text.contains("\r\n.line starting with a dot"), "dot-stuffing must be undone by the server");
        assertEquals(1, rows.attempts(id).size());
        assertEquals("delivered", rows.attempts(id).get(0).outcome());
        assertEquals(OutcomeKind.DELIVERED, outcomes.of(id).orElseThrow().kind());
    }

    @Test
    void deliverShouldTryNextMxWhenFirstIsUnreachable() throws IOException {
        String domain = newDomain();
        String nobodyListens = ports.nextAddress();
        TestSmtpServer backup = smtp(TestSmtpServer.Behaviour.ACCEPT);
        mx(domain, 10, nobodyListens);
        mx(domain, 20, backup.address());
        long id = queue("bo@" + domain);

        assertEquals("sent", deliver(id).state());

        List<QueueRows.Attempt> attempts = rows.attempts(id);
        assertEquals(2, attempts.size());
        assertEquals("deferred", attempts.get(0).outcome());
        assertEquals(nobodyListens, attempts.get(0).exchangerIp());
        assertEquals("delivered", attempts.get(1).outcome());
        assertEquals(1, backup.received().size());
    }

    @Test
    void deliverShouldTryNextMxWhenFirstRefusesTemporarily() throws IOException {
        String domain = newDomain();
        TestSmtpServer busy = smtp(TestSmtpServer.Behaviour.DEFER_451);
        TestSmtpServer backup = smtp(TestSmtpServer.Behaviour.ACCEPT);
        mx(domain, 10, busy.address());
        mx(domain, 20, backup.address());
        long id = queue("cy@" + domain);

        assertEquals("sent", deliver(id).state());

        List<QueueRows.Attempt> attempts = rows.attempts(id);
        assertEquals(List.of(451, 250), attempts.stream().map(QueueRows.Attempt::code).toList());
        assertEquals("4.3.0", attempts.get(0).enhancedStatus());
    }

    @Test
    void temporaryFailureAtTheLastExchangerShouldDeferWithBackoff() throws IOException {
        String domain = newDomain();
        TestSmtpServer closing = smtp(TestSmtpServer.Behaviour.DEFER_421);
        mx(domain, 10, closing.address());
        long id = queue("di@" + domain);
        Instant before = Instant.now();

        QueueRows.Row row = deliver(id);

        assertEquals("deferred", row.state());
        assertEquals(1, row.attempts());
        assertEquals(421, row.lastCode());
        assertEquals("4.3.2", row.lastEnhancedStatus());
        long delay = Duration.between(before, row.nextAttemptAt()).toSeconds();
        assertTrue(delay >= 270 && delay <= 335, "first retry about 5 minutes later, was " + delay + "s");
        assertTrue(outcomes.of(id).isEmpty(), "a deferral is not a final outcome");
    }

    @Test
    void unknownRecipientShouldBeAHardBounce() throws IOException {
        String domain = newDomain();
        mx(domain, 10, smtp(TestSmtpServer.Behaviour.REJECT_RECIPIENT).address());
        long id = queue("nobody@" + domain);

        QueueRows.Row row = deliver(id);

        assertEquals("bounced", row.state());
        assertEquals(550, row.lastCode());
        assertEquals("5.1.1", row.lastEnhancedStatus());
        DeliveryOutcome outcome = outcomes.of(id).orElseThrow();
        assertEquals(OutcomeKind.BOUNCED, outcome.kind());
        assertEquals("5.1.1", outcome.enhancedStatus());
        assertEquals(row.messageId(), outcome.messageId());
    }

    @Test
    void policyRejectionShouldBeRecordedAsBlockedNotBlamedOnTheSubscriber() throws IOException {
        String domain = newDomain();
        mx(domain, 10, smtp(TestSmtpServer.Behaviour.REJECT_POLICY).address());
        long id = queue("eve@" + domain);

        QueueRows.Row row = deliver(id);

        assertEquals("failed", row.state());
        assertEquals(554, row.lastCode());
        assertEquals("5.7.1", row.lastEnhancedStatus());
        assertEquals("blocked", rows.attempts(id).get(0).outcome());
        assertEquals(OutcomeKind.BLOCKED, outcomes.of(id).orElseThrow().kind());
    }

    @Test
    void droppedConnectionShouldDeferToTheNextExchanger() throws IOException {
        String domain = newDomain();
        String dropperAddress = ports.nextAddress();
        servers.add(new ScriptedSmtpServer(dropperAddress, ports.port(), ScriptedSmtpServer.Script.DROP_AT_MAIL));
        TestSmtpServer backup = smtp(TestSmtpServer.Behaviour.ACCEPT);
        mx(domain, 10, dropperAddress);
        mx(domain, 20, backup.address());
        long id = queue("flo@" + domain);

        assertEquals("sent", deliver(id).state());
        QueueRows.Attempt first = rows.attempts(id).get(0);
        assertEquals("deferred", first.outcome());
        assertTrue(first.reply().contains("connection lost"), first.reply());
    }

    @Test
    void stalledExchangerShouldTimeOutAndBeDeferred() throws IOException {
        String domain = newDomain();
        String silentAddress = ports.nextAddress();
        servers.add(new ScriptedSmtpServer(silentAddress, ports.port(), ScriptedSmtpServer.Script.SILENT));
        mx(domain, 10, silentAddress);
        long id = queue("gus@" + domain);

        QueueRows.Row row = deliver(id);

        assertEquals("deferred", row.state());
        assertTrue(row.lastReply().contains("greeting"), row.lastReply());
        assertTrue(row.lastReply().contains("Timeout"), row.lastReply());
    }

    @Test
    void exchangerStallingAfterDataShouldTimeOutAndBeDeferred() throws IOException {
        String domain = newDomain();
        mx(domain, 10, smtp(TestSmtpServer.Behaviour.STALL_AFTER_DATA).address());
        long id = queue("hal@" + domain);

        QueueRows.Row row = deliver(id);

        assertEquals("deferred", row.state());
        assertTrue(row.lastReply().contains("END_OF_DATA"), row.lastReply());
    }

    @Test
    void nonexistentDomainShouldBounceWith512() {
        long id = queue("ivy@nxdomain-" + System.nanoTime() + ".test");

        QueueRows.Row row = deliver(id);

        assertEquals("bounced", row.state());
        assertEquals("5.1.2", row.lastEnhancedStatus());
        assertEquals(OutcomeKind.BOUNCED, outcomes.of(id).orElseThrow().kind());
    }

    @Test
    void nullMxDomainShouldBounceWith5110() {
        String domain = newDomain();
        dns.nullMx(domain);
        long id = queue("jo@" + domain);

        assertEquals("5.1.10", deliver(id).lastEnhancedStatus());
    }

    @Test
    void dnsServerFailureShouldDefer() {
        String domain = newDomain();
        dns.servfail(domain);
        long id = queue("kai@" + domain);

        QueueRows.Row row = deliver(id);

        assertEquals("deferred", row.state());
        assertEquals("4.4.3", row.lastEnhancedStatus());
    }

    @Test
    void connectionShouldBeReusedForManyMessagesToTheSameExchanger() throws IOException {
        String domain = newDomain();
        TestSmtpServer server = smtp(TestSmtpServer.Behaviour.ACCEPT);
        mx(domain, 10, server.address());
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(queue("reader" + i + "@" + domain));
        }

        for (long id : ids) {
            assertEquals("sent", deliver(id).state());
        }

        assertEquals(12, server.received().size());
        assertEquals(1, server.sessions(), "all 12 messages over one connection");
    }

    @Test
    void whileTheQueueFillsOneLoopSendsOneChunkAtATimeAtTheFillPace() throws Exception {
        String domain = newDomain();
        TestSmtpServer server = smtp(TestSmtpServer.Behaviour.ACCEPT);
        mx(domain, 10, server.address());
        int messages = 300;
        for (int i = 0; i < messages; i++) {
            queue("reader" + i + "@" + domain);
        }
        int chunk = config.chunkSize();
        double rate = config.rateWhileFilling();
        filling.set(true);
        long started = System.nanoTime();
        sender.start();
        try {
            long maxInFlight = 0;
            long sent = 0;
            Instant deadline = Instant.now().plusSeconds(30);
            while (sent < 3L * chunk && Instant.now().isBefore(deadline)) {
                maxInFlight = Math.max(maxInFlight, rows.count("SELECT COUNT(*) FROM outbound_message"
                        + " WHERE recipient_domain = '" + domain + "' AND state = 'sending'"));
                double elapsed = (System.nanoTime() - started) / 1e9;
                sent = rows.count("SELECT COUNT(*) FROM outbound_message WHERE recipient_domain = '" + domain
                        + "' AND state = 'sent'");
                assertTrue(sent <= rate * elapsed + chunk, sent + " sent after " + elapsed + " s of filling");
            }
            assertTrue(sent >= 3L * chunk, "the fill pace still sends: " + sent + " sent");
            assertTrue(maxInFlight <= chunk, "one chunk claimed at a time, not " + maxInFlight);

            filling.set(false);
            sender.onMessagesDue(new MessagesDue());
            deadline = Instant.now().plusSeconds(30);
            while (rows.count("SELECT COUNT(*) FROM outbound_message WHERE recipient_domain = '" + domain
                    + "' AND state = 'sent'") < messages && Instant.now().isBefore(deadline)) {
                Thread.onSpinWait();
            }
            assertEquals(messages, server.received().size());
        } finally {
            sender.stop();
            filling.set(false);
        }
    }

    @Test
    void brokenStartTlsShouldFallBackToPlainText() throws IOException {
        String domain = newDomain();
        TestSmtpServer broken = TestSmtpServer.startWithBrokenStartTls(ports.nextAddress(), ports.port());
        servers.add(broken);
        mx(domain, 10, broken.address());
        long id = queue("lu@" + domain);

        assertEquals("sent", deliver(id).state());
        assertFalse(rows.attempts(id).get(0).tls());
        assertEquals(1, broken.received().size());
    }

    @Test
    void messageShouldExpireAfterTheRetryPeriod() throws IOException {
        String domain = newDomain();
        mx(domain, 10, smtp(TestSmtpServer.Behaviour.DEFER_451).address());
        long id = queue("max@" + domain);
        rows.execute("UPDATE outbound_message SET expires_at = CURRENT_TIMESTAMP(6) - INTERVAL 1 SECOND,"
                + " attempts = 30 WHERE id = " + id);

        QueueRows.Row row = deliver(id);

        assertEquals("failed", row.state());
        assertTrue(row.lastReply().startsWith("gave up after 31 attempts"), row.lastReply());
        assertEquals(OutcomeKind.EXPIRED, outcomes.of(id).orElseThrow().kind());
    }

    @Test
    void destinationShouldBeSuspendedAfterManyTemporaryFailuresAndItsMessagesDeferred() throws IOException {
        String domain = newDomain();
        TestSmtpServer busy = smtp(TestSmtpServer.Behaviour.DEFER_451);
        mx(domain, 10, busy.address());
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(queue("queue" + i + "@" + domain));
        }
        Instant before = Instant.now();

        for (long id : ids) {
            assertEquals("deferred", deliver(id).state());
        }

        long tried = ids.stream().filter(id -> rows.row(id).lastCode() != null).count();
        assertEquals(5, tried, "after 5 temporary failures in a row (the test setting) no more are tried");
        QueueRows.Row untried = rows.row(ids.get(7));
        assertEquals("4.4.5", untried.lastEnhancedStatus());
        assertTrue(untried.nextAttemptAt().isAfter(before.plus(Duration.ofMinutes(9))),
                "held back until the suspension ends, was " + untried.nextAttemptAt());
    }

    @Test
    void startTlsShouldBeUsedWhenTheExchangerOffersIt() throws Exception {
        String domain = newDomain();
        TestSmtpServer secure = TestSmtpServer.startWithStartTls(ports.nextAddress(), ports.port(),
                SelfSignedTls.context("mx." + domain));
        servers.add(secure);
        mx(domain, 10, secure.address());
        long id = queue("nia@" + domain);

        assertEquals("sent", deliver(id).state());
        assertTrue(rows.attempts(id).get(0).tls(), "delivered over STARTTLS");
    }

    @Test
    void domainRequiringTlsShouldBeDeferredWhenTheExchangerDoesNotOfferIt() throws IOException {
        String domain = "tls-required.test";
        TestSmtpServer plain = smtp(TestSmtpServer.Behaviour.ACCEPT);
        mx(domain, 10, plain.address());
        long id = queue("olga@" + domain);

        QueueRows.Row row = deliver(id);

        assertEquals("deferred", row.state());
        assertTrue(row.lastReply().contains("TLS is required"), row.lastReply());
        assertTrue(plain.received().isEmpty());
    }
}
