package io.carteiro.delivery;

import io.carteiro.delivery.smtp.SmtpReply;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Classification of replies by code and RFC 3463 enhanced status. */
class OutcomeKindTest {

    static OutcomeKind of(String line) {
        return OutcomeKind.of(SmtpReply.parse(List.of(line)));
    }

    @Test
    void twoHundredsShouldBeDelivered() {
        assertEquals(OutcomeKind.DELIVERED, of("250 2.0.0 Ok: queued as 12345"));
    }

    @Test
    void fourHundredsShouldBeDeferred() {
        assertEquals(OutcomeKind.DEFERRED, of("421 4.7.0 Try again later"));
        assertEquals(OutcomeKind.DEFERRED, of("451 4.3.0 Local error"));
        assertEquals(OutcomeKind.DEFERRED, of("452 4.2.2 Mailbox full"));
    }

    @Test
    void recipientLevelPermanentFailuresShouldBeHardBounces() {
        assertEquals(OutcomeKind.BOUNCED, of("550 5.1.1 No such user"));
        assertEquals(OutcomeKind.BOUNCED, of("550 5.1.10 Null MX"));
        assertEquals(OutcomeKind.BOUNCED, of("550 5.2.1 Mailbox disabled"));
        assertEquals(OutcomeKind.BOUNCED, of("550 User unknown"));
    }

    @Test
    void policyRejectionsShouldBeBlocked() {
        assertEquals(OutcomeKind.BLOCKED, of("554 5.7.1 Message rejected as spam"));
        assertEquals(OutcomeKind.BLOCKED, of("550 5.7.26 Unauthenticated email is not accepted"));
    }

    @Test
    void otherPermanentFailuresShouldBeFailedWithoutBlame() {
        assertEquals(OutcomeKind.FAILED, of("552 5.3.4 Message too big"));
        assertEquals(OutcomeKind.FAILED, of("554 Transaction failed"));
        assertEquals(OutcomeKind.FAILED, of("550 5.2.2 Mailbox full"));
    }

    @Test
    void replyParsingShouldKeepEnhancedStatusAndJoinLines() {
        SmtpReply reply = SmtpReply.parse(List.of("550-5.1.1 The email account that you tried to reach",
                "550-5.1.1 does not exist. Please try", "550 5.1.1 double-checking."));
        assertEquals(550, reply.code());
        assertEquals("5.1.1", reply.enhancedStatus());
        assertEquals("The email account that you tried to reach does not exist. Please try double-checking.",
                reply.text());
        assertEquals(null, SmtpReply.parse(List.of("550 4.1.1 mismatched class")).enhancedStatus());
    }
}
