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

/** The delivery engine against real SMTP servers on 127.0.0.x and a real DNS server on a loopback port. */
@QuarkusTest
@TestProfile(LoopbackNetwork.class)
class DeliveryEngineTest {

    private static final AtomicInteger DOMAINS = new AtomicInteger();

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    MailQueue queue;
    @Inject
    DeliveryEngine engine;
    @Inject
    DeliveryTestSupport support;
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

    /** Runs the engine until this row has left 'queued'/'sending' (bounded by a deadline). */
    QueueRows.Row deliver(long id) {
        support.deliver(id);
        return rows.row(id);
    }

    /** Waits, with the engine running, until the message is settled. */
    QueueRows.Row settled(long id) {
        DeliveryTestSupport.await(() -> DeliveryTestSupport.settled(rows.row(id).state()), Duration.ofSeconds(30),
                "message " + id + " was settled");
        return rows.row(id);
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
        assertTrue(row.lastReply().contains("reply to end of DATA"), row.lastReply());
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

        support.running(() -> ids.stream().allMatch(id -> DeliveryTestSupport.settled(rows.row(id).state())),
                Duration.ofSeconds(60), "every message was settled");

        assertTrue(ids.stream().allMatch(id -> rows.row(id).state().equals("sent")));
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
        engine.start();
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
            engine.onMessagesDue(new MessagesDue());
            deadline = Instant.now().plusSeconds(30);
            while (rows.count("SELECT COUNT(*) FROM outbound_message WHERE recipient_domain = '" + domain
                    + "' AND state = 'sent'") < messages && Instant.now().isBefore(deadline)) {
                Thread.onSpinWait();
            }
            assertEquals(messages, server.received().size());
        } finally {
            engine.stop();
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
        List<QueueRows.Attempt> attempts = rows.attempts(id);
        assertEquals(2, attempts.size(), "the failed handshake, then the delivery: " + attempts);
        assertEquals("4.7.5", attempts.get(0).enhancedStatus());
        assertTrue(attempts.get(0).reply().contains("TLS handshake")
                && attempts.get(0).reply().contains("delivered without TLS"), attempts.get(0).reply());
        assertEquals("delivered", attempts.get(1).outcome());
        assertFalse(attempts.get(1).tls());
        assertEquals(1, broken.received().size());
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

    ScriptedSmtpServer scripted(ScriptedSmtpServer.Script script) {
        ScriptedSmtpServer server = new ScriptedSmtpServer(ports.nextAddress(), ports.port(), script);
        servers.add(server);
        return server;
    }

    long queue(String to, String text) {
        return QuarkusTransaction.requiringNew().call(() -> queue.submit(new OutgoingMail(
                "news@sender.test", to, "Big", null, text, Map.of(), null, null)));
    }

    @Test
    void aFastDomainShouldBeDeliveredWithinTwoSecondsWhileFiveTarpitsHoldTheirSessions() throws Exception {
        List<ScriptedSmtpServer> tarpits = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            String slow = newDomain();
            ScriptedSmtpServer tarpit = scripted(ScriptedSmtpServer.Script.TARPIT);
            tarpits.add(tarpit);
            mx(slow, 10, addressOf(tarpit));
            for (int i = 0; i < 3; i++) {
                queue("slow" + i + "@" + slow);
            }
        }
        String fast = newDomain();
        TestSmtpServer server = smtp(TestSmtpServer.Behaviour.ACCEPT);
        mx(fast, 10, server.address());
        engine.start();
        try {
            DeliveryTestSupport.await(() -> tarpits.stream().allMatch(t -> t.connections() > 0),
                    Duration.ofSeconds(10), "every tarpit holds a session");
            long queuedAt = System.nanoTime();
            long id = queue("quick@" + fast);
            DeliveryTestSupport.await(() -> !server.received().isEmpty(), Duration.ofSeconds(10),
                    "the fast domain's message arrived");
            long millis = (System.nanoTime() - queuedAt) / 1_000_000;
            assertTrue(millis < 2000, "delivered " + millis + " ms after it was queued");
            assertTrue(tarpits.stream().allMatch(t -> t.received().size() < 3),
                    "the tarpits were still busy with their messages");
            assertEquals("sent", settled(id).state());
        } finally {
            engine.stop();
        }
    }

    @Test
    void aServerThatStopsReadingShouldBeCutByTheWriteTimeout() throws IOException {
        String domain = newDomain();
        ScriptedSmtpServer server = scripted(ScriptedSmtpServer.Script.STOP_READING_AFTER_DATA);
        mx(domain, 10, addressOf(server));
        // Larger than the socket buffers on both sides, so the write blocks once the server stops reading.
        long id = queue("reader@" + domain, ("y".repeat(70) + "\n").repeat(90_000));

        QueueRows.Row row = deliver(id);

        assertEquals("deferred", row.state());
        assertTrue(row.lastReply().contains("write timeout"), row.lastReply());
        QueueRows.Attempt attempt = rows.attempts(id).get(0);
        assertEquals("end of DATA", attempt.command());
    }

    @Test
    void aServerThatDribblesItsReplyShouldBeCutByTheTransactionDeadline() throws IOException {
        String domain = newDomain();
        ScriptedSmtpServer server = scripted(ScriptedSmtpServer.Script.DRIBBLE_AFTER_DATA);
        mx(domain, 10, addressOf(server));
        long id = queue("patient@" + domain);

        QueueRows.Row row = deliver(id);

        assertEquals("deferred", row.state());
        assertTrue(row.lastReply().contains("deadline"), row.lastReply());
    }

    @Test
    void aStaleCachedSessionShouldBeReplacedAtOnceWithoutDeferringTheMessage() throws IOException {
        String domain = newDomain();
        ScriptedSmtpServer server = scripted(ScriptedSmtpServer.Script.CLOSE_AFTER_MESSAGE);
        mx(domain, 10, addressOf(server));
        engine.start();
        try {
            long first = queue("one@" + domain);
            assertEquals("sent", settled(first).state());
            long second = queue("two@" + domain); // within the 2 s the session stays cached
            assertEquals("sent", settled(second).state());
            assertEquals(1, rows.attempts(second).size(), "no attempt lost to the stale session");
            assertEquals(2, server.connections(), "a fresh connection for the second message");
        } finally {
            engine.stop();
        }
    }

    @Test
    void aMessageThatRequiresTlsShouldNeverTakeACachedPlainTextSession() throws IOException {
        String open = newDomain();
        TestSmtpServer plain = smtp(TestSmtpServer.Behaviour.ACCEPT);
        mx(open, 10, plain.address());
        dns.mx("tls-required-shared.test", 10, "mx10." + open); // the same exchanger host
        engine.start();
        try {
            long first = queue("ana@" + open);
            assertEquals("sent", settled(first).state());
            long second = queue("bia@tls-required-shared.test");
            QueueRows.Row row = settled(second);
            assertEquals("deferred", row.state());
            assertTrue(row.lastReply().contains("TLS is required"), row.lastReply());
            assertEquals(List.of("ana@" + open), plain.received().stream().map(TestSmtpServer.Received::to)
                    .toList(), "nothing went over the plain-text session");
        } finally {
            engine.stop();
        }
    }

    @Test
    void aPipelined421ToMailShouldBeKeptWithTheCommandItAnswered() throws IOException {
        String domain = newDomain();
        ScriptedSmtpServer server = scripted(ScriptedSmtpServer.Script.PIPELINED_421_AT_MAIL);
        mx(domain, 10, addressOf(server));
        long id = queue("rate@" + domain);

        QueueRows.Row row = deliver(id);

        assertEquals("deferred", row.state());
        assertEquals(421, row.lastCode());
        assertEquals("4.7.28", row.lastEnhancedStatus());
        QueueRows.Attempt attempt = rows.attempts(id).get(0);
        assertEquals("MAIL FROM", attempt.command());
        assertTrue(attempt.reply().contains("Too many messages"), attempt.reply());
    }

    @Test
    void aMessageOverTheServersSizeShouldFailWithoutBeingSent() throws IOException {
        String domain = newDomain();
        TestSmtpServer small = TestSmtpServer.startWithSizeLimit(ports.nextAddress(), ports.port(), 2000);
        servers.add(small);
        mx(domain, 10, small.address());
        long id = queue("big@" + domain, "z".repeat(5000));

        QueueRows.Row row = deliver(id);

        assertEquals("failed", row.state());
        assertEquals(552, row.lastCode());
        assertEquals("5.3.4", row.lastEnhancedStatus());
        assertTrue(small.received().isEmpty());
        assertEquals(OutcomeKind.FAILED, outcomes.of(id).orElseThrow().kind(), "not the recipient's fault");
    }

    @Test
    void aRefusedGreetingShouldBeAnsweredWithQuit() throws IOException {
        String domain = newDomain();
        ScriptedSmtpServer server = scripted(ScriptedSmtpServer.Script.REFUSE_GREETING);
        mx(domain, 10, addressOf(server));
        long id = queue("no@" + domain);

        QueueRows.Row row = deliver(id);

        assertEquals("deferred", row.state());
        assertEquals(554, row.lastCode());
        assertEquals("greeting", rows.attempts(id).get(0).command());
        DeliveryTestSupport.await(() -> server.commands().contains("QUIT"), Duration.ofSeconds(5), "QUIT arrived");
    }

    @Test
    void stoppingShouldGiveBackAtOnceTheClaimsNoSessionHasStarted() throws IOException {
        String domain = newDomain();
        ScriptedSmtpServer tarpit = scripted(ScriptedSmtpServer.Script.TARPIT);
        mx(domain, 10, addressOf(tarpit));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(queue("held" + i + "@" + domain));
        }
        engine.start();
        DeliveryTestSupport.await(() -> tarpit.connections() > 0, Duration.ofSeconds(10), "a session started");
        engine.stop();

        long stillClaimed = ids.stream().filter(id -> rows.row(id).state().equals("sending")).count();
        assertEquals(0, stillClaimed, "no claim is left to its lease");
        long waiting = ids.stream().filter(id -> rows.row(id).state().equals("queued")).count();
        assertTrue(waiting >= 4, "the messages no session took are queued again at once: " + waiting);
    }

    @Test
    void theDateHeaderShouldCarryANumericZone() throws IOException {
        String domain = newDomain();
        TestSmtpServer server = smtp(TestSmtpServer.Behaviour.ACCEPT);
        mx(domain, 10, server.address());
        long id = queue("date@" + domain);

        assertEquals("sent", deliver(id).state());

        assertTrue(java.util.regex.Pattern.compile("\r\nDate: \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2}"
                + " \\+0000\r\n").matcher(server.received().get(0).text()).find(), server.received().get(0).text());
    }

    @Test
    void domainsSharingAnMxShouldEachHaveTheirOwnSessionsByDefault() throws IOException {
        String first = newDomain();
        String second = newDomain();
        ScriptedSmtpServer server = scripted(ScriptedSmtpServer.Script.PAIRS);
        mx(first, 10, addressOf(server));
        dns.mx(second, 10, "mx10." + first);

        List<Long> ids = MxHostsDestinationTest.queueTwoEach(queue, first, second);
        support.running(() -> ids.stream().allMatch(id -> DeliveryTestSupport.settled(rows.row(id).state())),
                Duration.ofSeconds(60), "every message was settled");

        assertEquals(4, server.received().size());
        assertEquals(2, server.mostAtOnce(), "each domain is a destination with its own session");
    }

    static String addressOf(ScriptedSmtpServer server) {
        return server.address();
    }
}
