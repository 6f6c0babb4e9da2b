package io.carteiro.bounces;

import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounce listener spoken to over raw sockets on loopback, as a remote MTA, a broken one and an attacker would. */
@QuarkusTest
@TestProfile(BounceNetwork.class)
class BounceListenerTest {

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    BounceListener listener;

    @Inject
    BounceTestData data;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void network() {
        data.on(dns, ports);
    }

    private SmtpDialogue connect() throws IOException {
        return connect(null);
    }

    private SmtpDialogue connect(String from) throws IOException {
        SmtpDialogue smtp = new SmtpDialogue(from, listener.port());
        assertTrue(smtp.greeting.startsWith("220"), smtp.greeting);
        assertTrue(smtp.send("EHLO client.example").startsWith("250"));
        return smtp;
    }

    /** Sends one message in a fresh session and returns the reply to its end of data. */
    private String send(String rcpt, byte[] message) throws IOException {
        try (SmtpDialogue smtp = connect()) {
            assertTrue(smtp.send("MAIL FROM:<>").startsWith("250"));
            String accepted = smtp.send("RCPT TO:<" + rcpt + ">");
            assertTrue(accepted.startsWith("250"), rcpt + " -> " + accepted);
            assertTrue(smtp.send("DATA").startsWith("354"));
            return smtp.data(message);
        }
    }

    private String status(long subscriber) {
        return data.string("select status from subscriber where id = " + subscriber);
    }

    @Test
    void dsnToAGenuineReturnPathShouldBeAcceptedAndMarkTheSubscriberBounced() throws Exception {
        var sent = data.delivered("listener-hard");
        String reply = send(sent.returnPath(), BounceTestData.dsn(sent.email(), "5.1.1", "550 5.1.1 unknown user",
                sent.rfcMessageId()));
        assertTrue(reply.startsWith("250"), reply);
        assertEquals("bounced", status(sent.subscriberId()));
        assertEquals("hard|dsn", data.string("select concat_ws('|', kind, source) from bounce where subscriber_id = "
                + sent.subscriberId()));
    }

    @Test
    void extraBounceDomainShouldTakeTheSameSignedAddresses() throws Exception {
        var sent = data.delivered("listener-extra");
        String onOldDomain = sent.returnPath().replace("@bounces.carteiro.test", "@OLD-bounces.carteiro.test");
        assertTrue(send(onOldDomain, BounceTestData.dsn(sent.email(), "5.1.1", "550 5.1.1 unknown", "<x@y>"))
                .startsWith("250"));
        assertEquals(String.valueOf(sent.messageId()), data.string(
                "select outbound_message_id from bounce where subscriber_id = " + sent.subscriberId()),
                "matched by the VERP token, not by the (wrong) quoted Message-ID");
    }

    @Test
    void relayAttemptShouldBeRefusedWith550571() throws Exception {
        try (SmtpDialogue smtp = connect()) {
            assertTrue(smtp.send("MAIL FROM:<spammer@evil.example>").startsWith("250"));
            String reply = smtp.send("RCPT TO:<victim@gmail.example>");
            assertTrue(reply.startsWith("550 5.7.1"), reply);
            reply = smtp.send("RCPT TO:<b-1-x@bounces.carteiro.test.evil.example>");
            assertTrue(reply.startsWith("550 5.7.1"), reply);
            reply = smtp.send("RCPT TO:<postmaster@evil.example>");
            assertTrue(reply.startsWith("550 5.7.1"), "postmaster of another domain is relaying too: " + reply);
            assertTrue(smtp.send("DATA").startsWith("503"), "no DATA without an accepted recipient");
        }
    }

    @Test
    void everyLocalPartOfTheBounceDomainShouldBeTakenAndForgedTokensCountedButBlameNobody() throws Exception {
        var sent = data.delivered("listener-forged");
        String genuine = sent.returnPath();
        String altered = genuine.replaceFirst("-(.)", "-" + (genuine.charAt(genuine.indexOf('-', 2) + 1) == 'a' ? "b" : "a"));
        String otherId = "b-" + Long.toString(sent.messageId() + 1, 36) + genuine.substring(genuine.indexOf('-', 2));
        double before = registry.counter("carteiro.bounce.forged.recipients").count();
        try (SmtpDialogue smtp = connect()) {
            assertTrue(smtp.send("MAIL FROM:<>").startsWith("250"));
            for (String rcpt : List.of(altered, otherId, "b-zzz-aaaa@bounces.carteiro.test")) {
                String reply = smtp.send("RCPT TO:<" + rcpt + ">");
                assertTrue(reply.startsWith("250"), rcpt + " -> " + reply);
            }
            assertTrue(smtp.send("DATA").startsWith("354"));
            assertTrue(smtp.data(BounceTestData.dsn(sent.email(), "5.1.1", "550 5.1.1 gone", "<forged@sender.test>"))
                    .startsWith("250"));
        }
        for (String rcpt : List.of("postmaster@bounces.carteiro.test", "POSTMASTER@Bounces.Carteiro.Test", "postmaster",
                "abuse@bounces.carteiro.test", "some-mangled-token@bounces.carteiro.test")) {
            try (SmtpDialogue smtp = connect()) {
                assertTrue(smtp.send("MAIL FROM:<admin@isp.example>").startsWith("250"));
                String reply = smtp.send("RCPT TO:<" + rcpt + ">");
                assertTrue(reply.startsWith("250"), rcpt + " -> " + reply);
            }
        }
        assertEquals(before + 3, registry.counter("carteiro.bounce.forged.recipients").count());
        assertEquals("active", status(sent.subscriberId()));
        assertEquals(0, data.count("select count(*) from bounce where subscriber_id = " + sent.subscriberId()));
    }

    @Test
    void feedbackReportSentToAbuseShouldBeRecordedAsAComplaint() throws Exception {
        var sent = data.delivered("listener-abuse");
        String reply = send("abuse@bounces.carteiro.test", BounceTestData.arf(sent.email(), sent.rfcMessageId(),
                "someone-else@isp.example"));
        assertTrue(reply.startsWith("250"), reply);
        assertEquals("complained", status(sent.subscriberId()));
        assertEquals("complaint|arf", data.string("select concat_ws('|', kind, source) from bounce where subscriber_id = "
                + sent.subscriberId()));
    }

    @Test
    void letterToPostmasterShouldBeKeptForReview() throws Exception {
        String subject = "Question " + System.nanoTime();
        String reply = send("postmaster@bounces.carteiro.test", ("From: admin@isp.example\r\nSubject: " + subject
                + "\r\n\r\nWho runs this server?\r\n").getBytes());
        assertTrue(reply.startsWith("250"), reply);
        assertEquals("postmaster@ mail, for a person to read", data.string(
                "select reason from inbound_unparsed where subject = '" + subject + "'"));
    }

    @Test
    void oversizedMessageShouldBeRefusedWith552() throws Exception {
        var sent = data.delivered("listener-big");
        try (SmtpDialogue smtp = connect()) {
            smtp.send("MAIL FROM:<>");
            smtp.send("RCPT TO:<" + sent.returnPath() + ">");
            assertTrue(smtp.send("DATA").startsWith("354"));
            byte[] big = ("Subject: big\r\n\r\n" + "x".repeat(998) + "\r\n").repeat(250).getBytes();
            String reply = smtp.data(big);
            assertTrue(reply.startsWith("552 5.3.4"), reply);
            assertTrue(smtp.send("RSET").startsWith("250"), "the session goes on after a refused message");
        }
        assertEquals(0, data.count("select count(*) from bounce where subscriber_id = " + sent.subscriberId()));
    }

    @Test
    void declaredSizeAboveTheLimitShouldBe552EvenWhenItIsNoIntAtAll() throws Exception {
        try (SmtpDialogue smtp = connect()) {
            String reply = smtp.send("MAIL FROM:<> SIZE=999999999");
            assertTrue(reply.startsWith("552 5.3.4"), reply);
            reply = smtp.send("MAIL FROM:<> SIZE=999999999999");
            assertTrue(reply.startsWith("552 5.3.4"), reply);
            reply = smtp.send("MAIL FROM:<> SIZE=99999999999999999999999999999999999999");
            assertTrue(reply.startsWith("552 5.3.4"), reply);
            reply = smtp.send("MAIL FROM:<> SIZE=12abc");
            assertTrue(reply.startsWith("501"), reply);
            assertTrue(smtp.send("MAIL FROM:<> SIZE=1000").startsWith("250"), "a fitting SIZE is taken");
            assertTrue(smtp.send("NOOP").startsWith("250"), "the session goes on");
        }
    }

    @Test
    void tooManyRecipientsShouldBeRefused() throws Exception {
        try (SmtpDialogue smtp = connect()) {
            smtp.send("MAIL FROM:<>");
            for (int i = 0; i < 3; i++) {
                assertTrue(smtp.send("RCPT TO:<someone" + i + "@bounces.carteiro.test>").startsWith("250"));
            }
            String reply = smtp.send("RCPT TO:<someone3@bounces.carteiro.test>");
            assertTrue(reply.startsWith("452"), reply);
        }
    }

    @Test
    void silentClientShouldBeDisconnected() throws Exception {
        try (SmtpDialogue smtp = connect()) {
            String reply = smtp.reply();
            assertTrue(reply.isEmpty() || reply.startsWith("421"), reply);
            assertTrue(smtp.closedByServer());
        }
    }

    @Test
    void clientDrippingOneLineShouldBeCutOffLongBeforeTheLineIsComplete() throws Exception {
        try (SmtpDialogue smtp = connect()) {
            String line = "NOOP " + "x".repeat(200);
            int sent = 0;
            try {
                while (sent < line.length() && !smtp.replyWaiting()) {
                    smtp.write(line.substring(sent, sent + 1));
                    sent++;
                    LockSupport.parkNanos(100_000_000L);
                }
                String reply = smtp.reply();
                assertTrue(reply.startsWith("421"), reply);
            } catch (IOException e) {
                // the server hung up
            }
            assertTrue(sent < line.length(), "cut off after " + sent + " of " + line.length() + " bytes");
            assertTrue(smtp.closedByServer());
        }
    }

    @Test
    void clientDrippingDataShouldBeCutOffAtTheDataTimeout() throws Exception {
        var sent = data.delivered("listener-slow");
        try (SmtpDialogue smtp = connect()) {
            smtp.send("MAIL FROM:<>");
            smtp.send("RCPT TO:<" + sent.returnPath() + ">");
            assertTrue(smtp.send("DATA").startsWith("354"));
            Instant limit = Instant.now().plusSeconds(30);
            String reply = "";
            try {
                while (Instant.now().isBefore(limit) && !smtp.replyWaiting()) {
                    smtp.write("X-Drip: " + System.nanoTime() + "\r\n");
                    LockSupport.parkNanos(200_000_000L);
                }
                reply = smtp.reply();
            } catch (IOException e) {
                reply = "closed: " + e.getMessage();
            }
            assertTrue(reply.startsWith("421") || reply.startsWith("closed"), reply);
            assertTrue(smtp.closedByServer(), "the server should hang up on a client that never ends DATA");
        }
        assertEquals(0, data.count("select count(*) from bounce where subscriber_id = " + sent.subscriberId()));
    }

    @Test
    void aSessionThatKeepsTalkingShouldEndAtTheSessionDeadline() throws Exception {
        try (SmtpDialogue smtp = connect()) {
            Instant limit = Instant.now().plusSeconds(60);
            String reply = "250";
            try {
                while (Instant.now().isBefore(limit) && reply.startsWith("250")) {
                    reply = smtp.send("NOOP");
                    LockSupport.parkNanos(300_000_000L);
                }
            } catch (IOException e) {
                reply = "closed: " + e.getMessage();
            }
            assertTrue(reply.startsWith("421") || reply.startsWith("closed") || reply.isEmpty(), reply);
            assertTrue(smtp.closedByServer(), "a session that never stops is ended by its deadline");
        }
    }

    @Test
    void garbageCommandsShouldGetErrorRepliesAndTheSessionShouldSurvive() throws Exception {
        try (SmtpDialogue smtp = connect()) {
            assertTrue(smtp.send("HELLO THERE").startsWith("500"));
            assertTrue(smtp.send("RCPT TO:<b-1-x@bounces.carteiro.test>").startsWith("503"), "RCPT before MAIL");
            assertTrue(smtp.send("MAIL FROM:not an address <<<").startsWith("501"));
            assertTrue(smtp.send("NOOP").startsWith("250"), "still talking after the garbage");
            smtp.write(new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\r', '\n'});
            assertTrue(smtp.reply().startsWith("501"), "undecodable bytes are refused");
        }
        try (SmtpDialogue smtp = connect()) {
            String reply = smtp.send("X".repeat(5000));
            assertTrue(reply.isEmpty() || reply.startsWith("5"), "an overlong line is refused: " + reply);
        }
        try (SmtpDialogue again = connect()) {
            assertTrue(again.send("NOOP").startsWith("250"), "the listener keeps serving after garbage");
        }
    }

    @Test
    void connectionsFromOneAddressShouldBeLimited() throws Exception {
        List<SmtpDialogue> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                open.add(connect("127.0.0.1"));
            }
            try (SmtpDialogue fifth = new SmtpDialogue("127.0.0.1", listener.port())) {
                assertTrue(fifth.greeting.startsWith("421 4.7.0"), fifth.greeting);
                assertTrue(fifth.closedByServer());
            }
        } finally {
            for (SmtpDialogue smtp : open) {
                smtp.close();
            }
        }
        InetAddress client = loopback("127.0.0.1");
        BounceTestData.awaitTrue(Duration.ofSeconds(10), () -> listener.openConnections(client) == 0,
                "the closed connections gave their places back");
        try (SmtpDialogue later = connect("127.0.0.1")) {
            assertTrue(later.send("NOOP").startsWith("250"), "the address may connect again once it closed the others");
        }
    }

    @Test
    void twoHundredSlowConnectionsFromOneAddressShouldNotLockOutASenderFromAnother() throws Exception {
        var sent = data.delivered("listener-flood");
        List<SmtpDialogue> flood = new ArrayList<>();
        int turnedAway = 0;
        try {
            for (int i = 0; i < 200; i++) {
                SmtpDialogue slow = new SmtpDialogue("127.0.0.7", listener.port());
                flood.add(slow);
                if (slow.greeting.startsWith("421")) {
                    turnedAway++;
                } else {
                    slow.write("E");
                }
            }
            assertEquals(196, turnedAway, "beyond its four, the address is turned away at once");
            assertTrue(listener.openConnections(loopback("127.0.0.7")) <= 4);

            try (SmtpDialogue legitimate = connect("127.0.0.8")) {
                assertTrue(legitimate.send("MAIL FROM:<>").startsWith("250"));
                assertTrue(legitimate.send("RCPT TO:<" + sent.returnPath() + ">").startsWith("250"));
                assertTrue(legitimate.send("DATA").startsWith("354"));
                String reply = legitimate.data(BounceTestData.dsn(sent.email(), "5.1.1", "550 5.1.1 gone",
                        sent.rfcMessageId()));
                assertTrue(reply.startsWith("250"), reply);
            }
        } finally {
            for (SmtpDialogue s : flood) {
                s.close();
            }
        }
        assertEquals("bounced", status(sent.subscriberId()));
    }

    private static InetAddress loopback(String address) throws IOException {
        return InetAddress.getByName(address);
    }
}
