package io.carteiro.bounces;

import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ten thousand random and mutated messages through the listener: each gets an answer and the listener lives on. */
@QuarkusTest
@TestProfile(BounceNetwork.class)
class BounceListenerFuzzTest {

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    BounceListener listener;

    @Inject
    BounceTestData data;

    @Test
    void tenThousandRandomAndMutatedMessagesShouldEachGetAReplyAndLeaveTheListenerServing() throws Exception {
        data.on(dns, ports);
        var sent = data.delivered("fuzz");
        List<byte[]> seeds = BounceParserFuzzTest.seeds();
        Random random = new Random(BounceParserFuzzTest.SEED + 1);
        int accepted = 0;
        SmtpDialogue smtp = new SmtpDialogue(listener.port());
        try {
            smtp.send("EHLO fuzz.example");
            for (int i = 0; i < BounceParserFuzzTest.MESSAGES; i++) {
                if (i % 20 == 0 && i > 0) { // a session of its own every 20 messages, well inside the session deadline
                    smtp.send("QUIT");
                    smtp.close();
                    smtp = new SmtpDialogue(listener.port());
                    smtp.send("EHLO fuzz.example");
                }
                assertTrue(smtp.send("MAIL FROM:<>").startsWith("250"), "message " + i);
                assertTrue(smtp.send("RCPT TO:<" + sent.returnPath() + ">").startsWith("250"), "message " + i);
                assertTrue(smtp.send("DATA").startsWith("354"), "message " + i);
                String reply = smtp.data(BounceParserFuzzTest.message(i, random, seeds));
                assertTrue(reply.startsWith("250"), "message " + i + ": " + reply);
                accepted++;
            }
        } finally {
            smtp.close();
        }
        assertEquals(BounceParserFuzzTest.MESSAGES, accepted);
        try (SmtpDialogue after = new SmtpDialogue(listener.port())) {
            assertTrue(after.greeting.startsWith("220"));
            assertTrue(after.send("NOOP").startsWith("250"));
        }
    }
}
