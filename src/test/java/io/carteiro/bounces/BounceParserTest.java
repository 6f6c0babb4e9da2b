package io.carteiro.bounces;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BounceParserTest {

    private final BounceParser parser = new BounceParser(BounceRules.load());

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = BounceParserTest.class.getResourceAsStream("/bounces/" + name)) {
            assertNotNull(in, "fixture " + name);
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0} is {1} / {2}")
    @CsvSource(nullValues = "-", textBlock = """
            # fixture                   format      kind        status  code  recipient                          original Message-ID
            postfix-user-unknown.eml,   DSN,        HARD,       5.1.1,  550,  nobody-here@recipient.example,     <campaign-7.subscriber-42@lists.example>
            postfix-delayed.eml,        DSN,        DELAYED,    4.4.1,  -,    slow@recipient.example,            <campaign-7.subscriber-43@lists.example>
            exim-plain.eml,             PLAIN_TEXT, HARD,       5.1.1,  550,  gone.away@exim-domain.example,     <campaign-7.subscriber-44@lists.example>
            exim-dsn-quota.eml,         DSN,        SOFT,       5.2.2,  -,    full.box@exim-domain.example,      <campaign-7.subscriber-45@lists.example>
            exchange-ndr.eml,           DSN,        HARD,       5.1.10, 550,  j.doe@contoso.example,             <campaign-7.subscriber-46@lists.example>
            gmail-dsn.eml,              DSN,        HARD,       5.1.1,  550,  no.such.person@gmail.example,      <campaign-7.subscriber-47@lists.example>
            gmail-blocked.eml,          DSN,        BLOCKED,    5.7.26, 550,  reader@gmail.example,              <campaign-7.subscriber-48@lists.example>
            yahoo-plain.eml,            PLAIN_TEXT, HARD,       5.1.1,  554,  old.account@yahoo.example,         <campaign-7.subscriber-49@lists.example>
            yahoo-dsn-deferred.eml,     DSN,        SOFT,       4.7.0,  421,  busy.reader@yahoo.example,         -
            qmail-plain.eml,            PLAIN_TEXT, HARD,       5.1.1,  -,    vanished@qmail.example,            <campaign-7.subscriber-50@lists.example>
            qmail-host-unknown.eml,     PLAIN_TEXT, HARD,       5.1.2,  -,    someone@no-such-domain.example,    <campaign-7.subscriber-51@lists.example>
            arf-abuse.eml,              ARF,        COMPLAINT,  -,      -,    annoyed@isp.example,               <campaign-7.subscriber-52@lists.example>
            arf-redacted.eml,           ARF,        COMPLAINT,  -,      -,    spam.clicker@bigmailbox.example,   <campaign-7.subscriber-53@lists.example>
            autoreply-rfc3834.eml,      AUTO_REPLY, AUTO_REPLY, -,      -,    ana@company.example,               -
            autoreply-outlook-oof.eml,  AUTO_REPLY, AUTO_REPLY, -,      -,    pierre.brun@entreprise.example,    -
            autoreply-vacation.eml,     AUTO_REPLY, AUTO_REPLY, -,      -,    holiday@home.example,              -
            """)
    void fixtureShouldBeClassifiedAsExpected(String fixture, ReportFormat format, BounceKind kind, String status,
                                             Integer code, String recipient, String originalId) throws IOException {
        ParsedMessage parsed = parser.parse(fixture(fixture));
        assertEquals(format, parsed.format(), () -> fixture + ": " + parsed);
        assertEquals(1, parsed.classifications().size(), () -> fixture + ": " + parsed);
        Classification c = parsed.classifications().get(0);
        assertEquals(kind, c.kind(), () -> fixture + ": " + c);
        assertEquals(status, c.enhancedStatus(), () -> fixture + ": " + c);
        assertEquals(code, c.smtpCode(), () -> fixture + ": " + c);
        assertEquals(recipient, c.recipient(), () -> fixture + ": " + c);
        assertEquals(originalId, c.originalMessageId(), () -> fixture + ": " + c);
        if (kind == BounceKind.HARD || kind == BounceKind.SOFT || kind == BounceKind.BLOCKED) {
            assertNotNull(c.diagnostic(), () -> fixture + " keeps the remote server's words");
        }
    }

    @Test
    void humanReplyShouldBeKeptForReviewWithAReason() throws IOException {
        ParsedMessage parsed = parser.parse(fixture("human-reply.eml"));
        assertEquals(ReportFormat.UNPARSED, parsed.format());
        assertTrue(parsed.classifications().isEmpty());
        assertNotNull(parsed.reason());
        assertEquals("<human-4@home.example>", parsed.messageId());
    }

    @Test
    void successfulDeliveryReportShouldReportNothingAgainstTheRecipient() throws IOException {
        ParsedMessage parsed = parser.parse(fixture("dsn-delivered.eml"));
        assertEquals(ReportFormat.DSN, parsed.format());
        assertEquals(List.of(), parsed.classifications());
    }

    @Test
    void dsnShouldReportEveryFailedRecipient() {
        String raw = """
                From: MAILER-DAEMON@mx.example
                Subject: Undelivered Mail Returned to Sender
                Content-Type: multipart/report; report-type=delivery-status; boundary=b

                --b
                Content-Type: text/plain

                Two recipients failed.
                --b
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example

                Final-Recipient: rfc822; one@a.example
                Action: failed
                Status: 5.1.1

                Final-Recipient: rfc822; two@b.example
                Action: failed
                Status: 4.2.2
                --b--
                """;
        ParsedMessage parsed = parser.parse(raw.replace("\n", "\r\n").getBytes());
        assertEquals(2, parsed.classifications().size(), parsed::toString);
        assertEquals(BounceKind.HARD, parsed.classifications().get(0).kind());
        assertEquals("one@a.example", parsed.classifications().get(0).recipient());
        assertEquals(BounceKind.SOFT, parsed.classifications().get(1).kind());
    }

    @Test
    void unspecificStatusShouldTakeTheDiagnosticsEnhancedCode() {
        String raw = """
                From: MAILER-DAEMON@mx.example
                Subject: failure
                Content-Type: multipart/report; report-type=delivery-status; boundary=b

                --b
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example

                Final-Recipient: rfc822; one@a.example
                Action: failed
                Status: 5.0.0
                Diagnostic-Code: smtp; 550 5.7.1 Message rejected as spam
                --b--
                """;
        Classification c = parser.parse(raw.getBytes()).classifications().get(0);
        assertEquals(BounceKind.BLOCKED, c.kind());
        assertEquals("5.7.1", c.enhancedStatus());
    }

    @Test
    void garbageShouldBeUnparsedNotThrown() {
        ParsedMessage parsed = parser.parse(new byte[]{0, 1, 2, (byte) 0xff, '\r', '\n', ':', ':'});
        assertEquals(ReportFormat.UNPARSED, parsed.format());
        assertNotNull(parsed.reason());
    }
}
