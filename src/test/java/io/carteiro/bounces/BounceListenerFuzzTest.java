package io.carteiro.bounces;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ten thousand random and mutated messages through the listener: each gets an answer and the listener lives on. */
@QuarkusTest
class BounceListenerFuzzTest {

    @Inject
    BounceListener listener;

    @Inject
    BounceTestData data;

    @Test
    void tenThousandRandomAndMutatedMessagesShouldEachGetAReplyAndLeaveTheListenerServing() throws Exception {
        String email = data.uniqueEmail("fuzz.example");
        long list = data.list();
        var sent = data.sent(data.subscriber(email, list), list, data.nextCampaignId(), email, Instant.now());
        List<byte[]> seeds = BounceParserFuzzTest.seeds();
        Random random = new Random(BounceParserFuzzTest.SEED + 1);
        int accepted = 0;
        SmtpDialogue smtp = new SmtpDialogue(listener.port());
        try {
            smtp.send("EHLO fuzz.example");
            for (int i = 0; i < BounceParserFuzzTest.MESSAGES; i++) {
                if (i % 500 == 0 && i > 0) {
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
