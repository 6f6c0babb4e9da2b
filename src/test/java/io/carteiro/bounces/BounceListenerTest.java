package io.carteiro.bounces;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class BounceListenerTest {

    @Inject
    BounceListener listener;

    @Inject
    BounceTestData data;

    @Inject
    MeterRegistry registry;

    private SmtpDialogue connect() throws IOException {
        SmtpDialogue smtp = new SmtpDialogue(listener.port());
        assertTrue(smtp.greeting.startsWith("220"), smtp.greeting);
        assertTrue(smtp.send("EHLO client.example").startsWith("250"));
        return smtp;
    }

    private BounceTestData.Sent sentMessage(String domain) throws SQLException {
        String email = data.uniqueEmail(domain);
        long list = data.list();
        long subscriber = data.subscriber(email, list);
        return data.sent(subscriber, list, data.nextCampaignId(), email, Instant.now());
    }

    @Test
    void dsnToAGenuineReturnPathShouldBeAcceptedAndMarkTheSubscriberBounced() throws Exception {
        var sent = sentMessage("listener-hard.example");
        try (SmtpDialogue smtp = connect()) {
            assertTrue(smtp.send("MAIL FROM:<>").startsWith("250"));
            assertTrue(smtp.send("RCPT TO:<" + sent.returnPath() + ">").startsWith("250"));
            assertTrue(smtp.send("DATA").startsWith("354"));
            String reply = smtp.data(BounceTestData.dsn(sent.email(), "5.1.1", "550 5.1.1 unknown user",
                    sent.rfcMessageId()));
            assertTrue(reply.startsWith("250"), reply);
            assertTrue(smtp.send("QUIT").startsWith("221"));
        }
        assertEquals("bounced", data.string("select status from subscriber where id = " + sent.subscriberId()));
        assertEquals("hard|dsn", data.string("select concat_ws('|', kind, source) from bounce where subscriber_id = "
                + sent.subscriberId()));
    }

    @Test
    void extraBounceDomainShouldTakeTheSameSignedAddresses() throws Exception {
        var sent = sentMessage("listener-extra.example");
        String onOldDomain = sent.returnPath().replace("@bounces.carteiro.test", "@OLD-bounces.carteiro.test");
        try (SmtpDialogue smtp = connect()) {
            smtp.send("MAIL FROM:<>");
            assertTrue(smtp.send("RCPT TO:<" + onOldDomain + ">").startsWith("250"), onOldDomain);
            smtp.send("DATA");
            assertTrue(smtp.data(BounceTestData.dsn(sent.email(), "5.1.1", "550 5.1.1 unknown", "<x@y>"))
                    .startsWith("250"));
        }
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
            assertTrue(smtp.send("DATA").startsWith("503"), "no DATA without an accepted recipient");
        }
    }

    @Test
    void forgedVerpTokenShouldBeRefusedAndCounted() throws Exception {
        var sent = sentMessage("listener-forged.example");
        String genuine = sent.returnPath();
        String altered = genuine.replaceFirst("-(.)", "-" + (genuine.charAt(genuine.indexOf('-', 2) + 1) == 'a' ? "b" : "a"));
        String otherId = "b-" + Long.toString(sent.messageId() + 1, 36) + genuine.substring(genuine.indexOf('-', 2));
        double before = registry.counter("carteiro.bounce.forged.recipients").count();
        try (SmtpDialogue smtp = connect()) {
            assertTrue(smtp.send("MAIL FROM:<>").startsWith("250"));
            for (String forged : List.of(altered, otherId, "b-zzz-aaaa@bounces.carteiro.test",
                    "unsubscribe-" + otherId.substring(2), "postmaster@bounces.carteiro.test")) {
                String reply = smtp.send("RCPT TO:<" + forged + ">");
                assertTrue(reply.startsWith("550 5.7.1"), forged + " -> " + reply);
            }
        }
        assertEquals(before + 5, registry.counter("carteiro.bounce.forged.recipients").count());
        assertEquals("active", data.string("select status from subscriber where id = " + sent.subscriberId()));
    }

    @Test
    void oversizedMessageShouldBeRefusedWith552() throws Exception {
        var sent = sentMessage("listener-big.example");
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
    void sizeDeclaredAboveTheLimitShouldBeRefusedAtMailFrom() throws Exception {
        try (SmtpDialogue smtp = connect()) {
            String reply = smtp.send("MAIL FROM:<> SIZE=999999999");
            assertTrue(reply.startsWith("552"), reply);
        }
    }

    @Test
    void tooManyRecipientsShouldBeRefused() throws Exception {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            addresses.add(sentMessage("listener-many.example").returnPath());
        }
        try (SmtpDialogue smtp = connect()) {
            smtp.send("MAIL FROM:<>");
            for (int i = 0; i < 3; i++) {
                assertTrue(smtp.send("RCPT TO:<" + addresses.get(i) + ">").startsWith("250"));
            }
            String reply = smtp.send("RCPT TO:<" + addresses.get(3) + ">");
            assertTrue(reply.startsWith("452"), reply);
        }
    }

    @Test
    void silentClientShouldBeDisconnectedAfterTheCommandTimeout() throws Exception {
        try (SmtpDialogue smtp = connect()) {
            long start = System.nanoTime();
            String reply = smtp.reply();
            assertTrue(reply.isEmpty() || reply.startsWith("421"), reply);
            assertTrue(smtp.closedByServer());
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(seconds >= 1 && seconds < 10, "disconnected after " + seconds + " s");
        }
    }

    @Test
    void clientDrippingDataShouldBeCutOffAtTheDataTimeout() throws Exception {
        var sent = sentMessage("listener-slow.example");
        try (SmtpDialogue smtp = connect()) {
            smtp.send("MAIL FROM:<>");
            smtp.send("RCPT TO:<" + sent.returnPath() + ">");
            assertTrue(smtp.send("DATA").startsWith("354"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            String reply = "";
            try {
                while (System.nanoTime() < deadline && !smtp.replyWaiting()) {
                    smtp.write("X-Drip: " + System.nanoTime() + "\r\n");
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
                }
                reply = smtp.reply();
            } catch (IOException e) {
                reply = "closed: " + e.getMessage();
            }
            assertTrue(reply.startsWith("421 4.4.2") || reply.startsWith("closed"), reply);
            assertTrue(smtp.closedByServer(), "the server should hang up on a client that never ends DATA");
        }
        assertEquals(0, data.count("select count(*) from bounce where subscriber_id = " + sent.subscriberId()));
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
                open.add(connect());
            }
            try (SmtpDialogue fifth = new SmtpDialogue(listener.port())) {
                assertTrue(fifth.greeting.startsWith("421"), fifth.greeting);
            }
        } finally {
            for (SmtpDialogue smtp : open) {
                smtp.close();
            }
        }
    }
}
