package io.carteiro.bounces;

import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.TestSmtpServer.Behaviour;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reports that arrive after a campaign message was delivered (DSNs, feedback reports, automatic replies, mailto
 * unsubscribes), each about a message the real engine sent, through the recorder the listener and the mailbox use.
 */
@QuarkusTest
@TestProfile(BounceNetwork.class)
class BounceRecorderTest {

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    BounceRecorder recorder;

    @Inject
    BounceTestData data;

    @BeforeEach
    void network() {
        data.on(dns, ports);
    }

    private InboundOutcome receive(byte[] raw, String rcptTo) {
        return recorder.receive(new InboundMail(RawMessage.of(raw), "", rcptTo, InboundMail.Channel.LISTENER, null));
    }

    private String status(long subscriber) {
        return data.string("select status from subscriber where id = " + subscriber);
    }

    @Test
    void hardBounceShouldMarkTheSubscriberBouncedWithAnEventNamingTheBounce() {
        var sent = data.delivered("hard");

        InboundOutcome outcome = receive(BounceTestData.dsn(sent.email(), "5.1.1", "550 5.1.1 User unknown",
                sent.rfcMessageId()), sent.returnPath());

        assertEquals(InboundOutcome.Result.RECORDED, outcome.result());
        long bounceId = outcome.bounceIds().get(0);
        assertEquals("bounced", status(sent.subscriberId()));
        assertEquals("hard|dsn|550|5.1.1|bounced", data.string("select concat_ws('|', kind, source, status_code, "
                + "enhanced_status, action) from bounce where id = " + bounceId));
        assertEquals("status_changed|bounce", data.string("select concat_ws('|', event, source) from consent_event "
                + "where bounce_id = " + bounceId));
    }

    @Test
    void aDsnThatLostItsVerpAddressShouldBeMatchedByTheSignedMessageIdItQuotes() {
        var sent = data.delivered("noverp");

        InboundOutcome outcome = receive(BounceTestData.dsn(sent.email(), "5.1.1", "550 no such user",
                sent.rfcMessageId()), "mailer-daemon-copy@bounces.carteiro.test");

        assertEquals(InboundOutcome.Result.RECORDED, outcome.result());
        assertEquals(String.valueOf(sent.messageId()), data.string("select outbound_message_id from bounce where id = "
                + outcome.bounceIds().get(0)));
        assertEquals("bounced", status(sent.subscriberId()));
    }

    @Test
    void aMessageIdWithAnAlteredSignatureOrInTheOldGuessableFormShouldBlameNobody() {
        var sent = data.delivered("forgedid");
        String id = sent.rfcMessageId();
        char last = id.charAt(id.indexOf('@') - 1);
        String altered = id.substring(0, id.indexOf('@') - 1) + (last == '0' ? '1' : '0') + id.substring(id.indexOf('@'));
        String guessable = "<" + Long.toString(sent.messageId(), 36) + ".mx54a7u7@sender.test>";

        for (String forged : new String[]{altered, guessable}) {
            InboundOutcome outcome = receive(BounceTestData.dsn(sent.email(), "5.1.1", "550 gone", forged),
                    "postmaster@bounces.carteiro.test");
            assertEquals(InboundOutcome.Result.KEPT_FOR_REVIEW, outcome.result(), forged);
        }
        assertEquals(0, data.count("select count(*) from bounce where subscriber_id = " + sent.subscriberId()));
        assertEquals("active", status(sent.subscriberId()));
    }

    @Test
    void softBounceDsnsShouldMarkBouncedOnlyAfterThreeDistinctCampaigns() {
        var r = data.recipient("soft", Behaviour.ACCEPT);
        for (int campaign = 1; campaign <= 3; campaign++) {
            var sent = data.sendCampaign(r.list()).get(r.email());
            InboundOutcome outcome = receive(BounceTestData.dsn(r.email(), "failed", "4.2.2", "452 4.2.2 Mailbox full",
                    sent.rfcMessageId()), sent.returnPath());
            assertEquals(InboundOutcome.Result.RECORDED, outcome.result());
            assertEquals(campaign < 3 ? "active" : "bounced", status(r.subscriber()), "after campaign " + campaign);
        }
        assertEquals(1, data.count("select count(*) from consent_event where subscriber_id = " + r.subscriber()
                + " and bounce_id is not null"));
    }

    @Test
    void delayedDsnsShouldBeLoggedAndNeverCounted() {
        var r = data.recipient("delayed", Behaviour.ACCEPT);
        for (int campaign = 1; campaign <= 3; campaign++) {
            var sent = data.sendCampaign(r.list()).get(r.email());
            InboundOutcome outcome = receive(BounceTestData.dsn(r.email(), "delayed", "4.4.1", "connection timed out",
                    sent.rfcMessageId()), sent.returnPath());
            assertEquals(InboundOutcome.Result.RECORDED, outcome.result());
        }

        assertEquals(3, data.count("select count(*) from bounce where subscriber_id = " + r.subscriber()
                + " and kind = 'delayed' and action = 'none'"));
        assertEquals(0, data.count("select count(*) from bounce where subscriber_id = " + r.subscriber()
                + " and kind = 'soft'"));
        assertEquals("active", status(r.subscriber()), "warnings are not bounces");
    }

    @Test
    void aSecondDsnAboutTheSameMessageShouldNotCountAgain() {
        var r = data.recipient("twice", Behaviour.ACCEPT);
        var first = data.sendCampaign(r.list()).get(r.email());
        for (int copy = 0; copy < 3; copy++) {
            receive(BounceTestData.dsn(r.email(), "failed", "4.2.2", "mailbox full", first.rfcMessageId()),
                    first.returnPath());
        }
        var second = data.sendCampaign(r.list()).get(r.email());
        receive(BounceTestData.dsn(r.email(), "failed", "4.2.2", "mailbox full", second.rfcMessageId()),
                second.returnPath());

        assertEquals(2, data.count("select count(*) from bounce where subscriber_id = " + r.subscriber()),
                "one bounce per message and kind");
        assertEquals("active", status(r.subscriber()), "two campaigns, however often reported, are not three");
    }

    @Test
    void complaintShouldUnsubscribeEveryListSuppressTheAddressAndMarkComplained() {
        String email = data.uniqueEmail(data.domain("complaint", Behaviour.ACCEPT));
        long listA = data.list();
        long listB = data.list();
        long subscriber = data.subscriber(email, listA);
        data.subscriber(email, listB);
        var sent = data.sendCampaign(listA).get(email);

        InboundOutcome outcome = receive(BounceTestData.arf(email, sent.rfcMessageId()), "fbl@bounces.carteiro.test");

        assertEquals(InboundOutcome.Result.RECORDED, outcome.result());
        long bounceId = outcome.bounceIds().get(0);
        assertEquals("complained", status(subscriber));
        assertEquals(0, data.count("select count(*) from subscription where subscriber_id = " + subscriber
                + " and status <> 'unsubscribed'"));
        assertEquals("complaint", data.string("select reason from suppression where kind = 'address' and value = '"
                + email + "'"));
        assertEquals(3, data.count("select count(*) from consent_event where bounce_id = " + bounceId),
                "one unsubscribe per list and one status change");
        assertEquals("arf|complained", data.string("select concat_ws('|', source, action) from bounce where id = "
                + bounceId));
    }

    @Test
    void complaintAtAFeedbackAddressShouldBeMatchedByTheReportedReturnPath() {
        var sent = data.delivered("fbl");

        InboundOutcome outcome = receive(BounceTestData.arf(sent.email(), "<redacted@isp.example>",
                sent.returnPath()), "fbl@bounces.carteiro.test");

        assertEquals(InboundOutcome.Result.RECORDED, outcome.result());
        assertEquals("complained", status(sent.subscriberId()));
    }

    @Test
    void policyBlockInADsnShouldBeRecordedWithoutActionAgainstTheSubscriber() {
        var sent = data.delivered("blocked");

        InboundOutcome outcome = receive(BounceTestData.dsn(sent.email(), "5.7.1", "550 5.7.1 blocked using spamhaus",
                sent.rfcMessageId()), sent.returnPath());

        assertEquals("blocked|none", data.string("select concat_ws('|', kind, action) from bounce where id = "
                + outcome.bounceIds().get(0)));
        assertEquals("active", status(sent.subscriberId()));
        assertEquals(0, data.count("select count(*) from consent_event where subscriber_id = " + sent.subscriberId()
                + " and bounce_id is not null"));
    }

    @Test
    void unmatchedReportShouldBeKeptForReviewAndBlameNobody() {
        InboundOutcome outcome = receive(BounceTestData.dsn("stranger@nowhere.example", "5.1.1", "550 unknown",
                "<never-sent@lists.carteiro.test>"), "b-zz-forged@bounces.carteiro.test");

        assertEquals(InboundOutcome.Result.KEPT_FOR_REVIEW, outcome.result());
        assertNotNull(outcome.unparsedId());
        assertEquals("no message we sent matches this report", data.string(
                "select reason from inbound_unparsed where id = " + outcome.unparsedId()));
        assertEquals(0, data.count("select count(*) from bounce where email = 'stranger@nowhere.example'"));
    }

    @Test
    void mailToPostmasterOrAbuseThatIsNoReportShouldBeKeptForAPersonToRead() {
        byte[] letter = "From: admin@isp.example\r\nSubject: please stop\r\n\r\nYour server sends us mail.\r\n"
                .getBytes();
        for (String role : new String[]{"postmaster", "abuse"}) {
            InboundOutcome outcome = receive(letter, role + "@bounces.carteiro.test");
            assertEquals(InboundOutcome.Result.KEPT_FOR_REVIEW, outcome.result(), role);
            assertEquals(role + "@ mail, for a person to read", data.string(
                    "select reason from inbound_unparsed where id = " + outcome.unparsedId()));
        }
        byte[] outOfOffice = "From: a@b.example\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\n\r\nAway.\r\n"
                .getBytes();
        assertEquals(InboundOutcome.Result.KEPT_FOR_REVIEW, receive(outOfOffice, "abuse@bounces.carteiro.test")
                .result(), "even an automatic answer to abuse@ is for a person");
    }

    @Test
    void mailKeptForReviewShouldStayUnderItsTotalSizeAndGoAfterItsRetention() {
        byte[] big = ("From: someone@isp.example\r\nSubject: big\r\n\r\n" + ("x".repeat(998) + "\r\n").repeat(1100))
                .getBytes();
        List<Long> kept = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            InboundOutcome outcome = receive(big, "junk" + i + "@bounces.carteiro.test");
            assertEquals(InboundOutcome.Result.KEPT_FOR_REVIEW, outcome.result());
            kept.add(outcome.unparsedId());
        }
        assertEquals(1048576, data.count("select size_bytes from inbound_unparsed where id = " + kept.get(3)),
                "a large message is kept cut at 1 MiB");
        assertTrue(data.count("select coalesce(sum(size_bytes), 0) from inbound_unparsed") <= 3_000_000,
                "the total stays under the cap of the profile (3,000,000 bytes)");
        assertEquals(0, data.count("select count(*) from inbound_unparsed where id = " + kept.get(0)),
                "the oldest went to make room");
        assertEquals(1, data.count("select count(*) from inbound_unparsed where id = " + kept.get(3)));

        Instant keptAt = Instant.now();
        BounceTestData.awaitTrue(Duration.ofSeconds(60), () -> Instant.now().isAfter(keptAt.plusSeconds(16)),
                "the retention of the profile (15 s) has passed");
        InboundOutcome later = receive("Subject: later\r\n\r\nhi\r\n".getBytes(), "junk@bounces.carteiro.test");

        assertEquals(0, data.count("select count(*) from inbound_unparsed where id = " + kept.get(3)),
                "kept longer than the retention period: deleted");
        assertEquals(1, data.count("select count(*) from inbound_unparsed where id = " + later.unparsedId()));
    }

    @Test
    void autoReplyShouldBeIgnored() {
        byte[] raw = "From: a@b.example\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\n\r\nAway.\r\n"
                .getBytes();
        assertEquals(InboundOutcome.Result.IGNORED, receive(raw, "b-1-x@bounces.carteiro.test").result());
    }

    @Test
    void theSameMailboxMessageShouldCountOnlyOnce() {
        var sent = data.delivered("seen");
        byte[] raw = BounceTestData.dsn(sent.email(), "failed", "4.4.7", "expired", sent.rfcMessageId());
        String key = "imap:test:" + sent.messageId();

        var first = recorder.receive(new InboundMail(RawMessage.of(raw), null, null, InboundMail.Channel.MAILBOX, key));
        var second = recorder.receive(new InboundMail(RawMessage.of(raw), null, null, InboundMail.Channel.MAILBOX, key));

        assertEquals(InboundOutcome.Result.RECORDED, first.result());
        assertEquals(InboundOutcome.Result.ALREADY_SEEN, second.result());
        assertEquals(1, data.count("select count(*) from bounce where subscriber_id = " + sent.subscriberId()));
        assertEquals("mailbox", data.string("select source from bounce where subscriber_id = " + sent.subscriberId()));
    }

    @Test
    void campaignMailtoAddressShouldUnsubscribeFromItsListAndAForgedOneNothing() {
        String email = data.uniqueEmail(data.domain("mailto", Behaviour.ACCEPT));
        long listA = data.list();
        long listB = data.list();
        long subscriber = data.subscriber(email, listA);
        data.subscriber(email, listB);
        var sent = data.sendCampaign(listA).get(email);
        String header = data.accepting().received().stream().filter(m -> m.to().equalsIgnoreCase(email))
                .map(m -> BounceTestData.header(m, "List-Unsubscribe")).findFirst().orElseThrow();
        String genuine = header.substring(header.indexOf("<mailto:") + 8, header.lastIndexOf('>'));
        String forged = genuine.replaceFirst("-[0-9a-f]{20}@", "-00000000000000000000@");
        byte[] raw = ("From: " + email + "\r\nSubject: unsubscribe\r\n\r\n\r\n").getBytes();

        assertEquals(BounceRecorder.RecipientKind.FORGED_TOKEN, recorder.checkRecipient(forged));
        assertEquals(BounceRecorder.RecipientKind.UNSUBSCRIBE, recorder.checkRecipient(genuine));
        assertEquals(InboundOutcome.Result.KEPT_FOR_REVIEW, receive(raw, forged).result());
        InboundOutcome outcome = receive(raw, genuine);

        assertEquals(InboundOutcome.Result.UNSUBSCRIBED, outcome.result());
        assertEquals(sent.campaignId() + "", data.string("select campaign_id from outbound_message where id = "
                + sent.messageId()));
        assertEquals("unsubscribed", data.string("select status from subscription where subscriber_id = " + subscriber
                + " and list_id = " + listA));
        assertEquals("confirmed", data.string("select status from subscription where subscriber_id = " + subscriber
                + " and list_id = " + listB));
        assertEquals("mailto", data.string("select source from consent_event where subscriber_id = " + subscriber
                + " and event = 'unsubscribed'"));
    }
}
