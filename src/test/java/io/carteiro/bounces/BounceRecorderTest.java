package io.carteiro.bounces;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class BounceRecorderTest {

    @Inject
    BounceRecorder recorder;

    @Inject
    BounceTestData data;

    @Inject
    io.carteiro.campaigns.CampaignLinks links;

    private InboundOutcome receive(byte[] raw, String rcptTo) {
        return recorder.receive(new InboundMail(raw, "", rcptTo, InboundMail.Channel.LISTENER, null));
    }

    @Test
    void hardBounceShouldMarkTheSubscriberBouncedWithAnEventNamingTheBounce() throws SQLException {
        String email = data.uniqueEmail("hard.example");
        long list = data.list();
        long subscriber = data.subscriber(email, list);
        var sent = data.sent(subscriber, list, data.nextCampaignId(), email, Instant.now());

        InboundOutcome outcome = receive(BounceTestData.dsn(email, "5.1.1", "550 5.1.1 User unknown", sent.rfcMessageId()),
                sent.returnPath());

        assertEquals(InboundOutcome.Result.RECORDED, outcome.result());
        long bounceId = outcome.bounceIds().get(0);
        assertEquals("bounced", data.string("select status from subscriber where id = " + subscriber));
        assertEquals("hard|dsn|550|5.1.1|bounced", data.string("select concat_ws('|', kind, source, status_code, "
                + "enhanced_status, action) from bounce where id = " + bounceId));
        assertEquals("status_changed|bounce", data.string("select concat_ws('|', event, source) from consent_event "
                + "where bounce_id = " + bounceId));
    }

    @Test
    void bounceWithoutVerpShouldBeMatchedByTheQuotedMessageId() throws SQLException {
        String email = data.uniqueEmail("noverp.example");
        long list = data.list();
        long subscriber = data.subscriber(email, list);
        var sent = data.sent(subscriber, list, null, email, Instant.now());

        InboundOutcome outcome = receive(BounceTestData.dsn(email, "5.1.1", "550 no such user", sent.rfcMessageId()),
                "news@lists.carteiro.test");

        assertEquals(InboundOutcome.Result.RECORDED, outcome.result());
        assertEquals(String.valueOf(sent.messageId()), data.string("select outbound_message_id from bounce where id = "
                + outcome.bounceIds().get(0)));
    }

    @Test
    void softBouncesShouldMarkBouncedOnlyAfterThreeDistinctCampaigns() throws SQLException {
        String email = data.uniqueEmail("soft.example");
        long list = data.list();
        long subscriber = data.subscriber(email, list);
        long campaign = data.nextCampaignId();
        var first = data.sent(subscriber, list, campaign, email, Instant.now().minus(Duration.ofDays(3)));
        recorder.recordSynchronousRejection(first.messageId(), 452, "4.2.2", "452 4.2.2 Mailbox full");
        var second = data.sent(subscriber, list, data.nextCampaignId(), email, Instant.now().minus(Duration.ofDays(2)));
        recorder.recordSynchronousRejection(second.messageId(), 421, null, "421 Try again later");
        recorder.recordSynchronousRejection(second.messageId(), 421, null, "421 Try again later");
        assertEquals("active", data.string("select status from subscriber where id = " + subscriber),
                "two campaigns (one of them bounced twice) are not three");

        var third = data.sent(subscriber, list, data.nextCampaignId(), email, Instant.now());
        long bounceId = recorder.recordSynchronousRejection(third.messageId(), 450, "4.2.1", "450 busy").getAsLong();

        assertEquals("bounced", data.string("select status from subscriber where id = " + subscriber));
        assertEquals("bounced", data.string("select action from bounce where id = " + bounceId));
        assertEquals(1, data.count("select count(*) from consent_event where bounce_id = " + bounceId));
    }

    @Test
    void aDeliveryBetweenSoftBouncesShouldRestartTheCount() throws SQLException {
        String email = data.uniqueEmail("softreset.example");
        long list = data.list();
        long subscriber = data.subscriber(email, list);
        Instant now = Instant.now();
        var a = data.sent(subscriber, list, data.nextCampaignId(), email, now.minus(Duration.ofDays(5)));
        recorder.recordSynchronousRejection(a.messageId(), 451, "4.0.0", "451 later");
        var b = data.sent(subscriber, list, data.nextCampaignId(), email, now.minus(Duration.ofDays(4)));
        recorder.recordSynchronousRejection(b.messageId(), 451, "4.0.0", "451 later");
        data.sent(subscriber, list, data.nextCampaignId(), email, Instant.now());
        var c = data.sent(subscriber, list, data.nextCampaignId(), email, Instant.now());
        recorder.recordSynchronousRejection(c.messageId(), 451, "4.0.0", "451 later");

        assertEquals("active", data.string("select status from subscriber where id = " + subscriber));
    }

    @Test
    void complaintShouldUnsubscribeEveryListSuppressTheAddressAndMarkComplained() throws SQLException {
        String email = data.uniqueEmail("complaint.example");
        long listA = data.list();
        long listB = data.list();
        long subscriber = data.subscriber(email, listA, listB);
        var sent = data.sent(subscriber, listA, data.nextCampaignId(), email, Instant.now());

        InboundOutcome outcome = receive(BounceTestData.arf(email, sent.rfcMessageId()), "fbl@bounces.carteiro.test");

        assertEquals(InboundOutcome.Result.RECORDED, outcome.result());
        long bounceId = outcome.bounceIds().get(0);
        assertEquals("complained", data.string("select status from subscriber where id = " + subscriber));
        assertEquals(0, data.count("select count(*) from subscription where subscriber_id = " + subscriber
                + " and status <> 'unsubscribed'"));
        assertEquals("complaint", data.string("select reason from suppression where kind = 'address' and value = '"
                + email + "'"));
        assertEquals(3, data.count("select count(*) from consent_event where bounce_id = " + bounceId),
                "one unsubscribe per list and one status change");
        assertEquals("arf", data.string("select source from bounce where id = " + bounceId));
    }

    @Test
    void complaintAtAFeedbackAddressShouldBeMatchedByTheReportedReturnPath() throws SQLException {
        String email = data.uniqueEmail("fbl.example");
        long list = data.list();
        long subscriber = data.subscriber(email, list);
        var sent = data.sent(subscriber, list, data.nextCampaignId(), email, Instant.now());

        InboundOutcome outcome = receive(BounceTestData.arf(email, "<redacted@isp.example>", sent.returnPath()),
                "fbl@bounces.carteiro.test");

        assertEquals(InboundOutcome.Result.RECORDED, outcome.result());
        assertEquals("complained", data.string("select status from subscriber where id = " + subscriber));
    }

    @Test
    void policyBlockShouldBeRecordedWithoutActionAgainstTheSubscriber() throws SQLException {
        String email = data.uniqueEmail("blocked.example");
        long list = data.list();
        long subscriber = data.subscriber(email, list);
        var sent = data.sent(subscriber, list, data.nextCampaignId(), email, Instant.now());

        InboundOutcome outcome = receive(BounceTestData.dsn(email, "5.7.1", "550 5.7.1 blocked using spamhaus",
                sent.rfcMessageId()), sent.returnPath());

        assertEquals("blocked|none", data.string("select concat_ws('|', kind, action) from bounce where id = "
                + outcome.bounceIds().get(0)));
        assertEquals("active", data.string("select status from subscriber where id = " + subscriber));
        assertEquals(0, data.count("select count(*) from consent_event where subscriber_id = " + subscriber));
    }

    @Test
    void unmatchedReportShouldBeKeptForReviewAndBlameNobody() throws SQLException {
        InboundOutcome outcome = receive(BounceTestData.dsn("stranger@nowhere.example", "5.1.1", "550 unknown",
                "<never-sent@lists.carteiro.test>"), "b-zz-forged@bounces.carteiro.test");

        assertEquals(InboundOutcome.Result.KEPT_FOR_REVIEW, outcome.result());
        assertNotNull(outcome.unparsedId());
        assertEquals("no message we sent matches this report", data.string(
                "select reason from inbound_unparsed where id = " + outcome.unparsedId()));
        assertEquals(0, data.count("select count(*) from bounce where email = 'stranger@nowhere.example'"));
    }

    @Test
    void autoReplyShouldBeIgnored() throws SQLException {
        byte[] raw = "From: a@b.example\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\n\r\nAway.\r\n"
                .getBytes();
        assertEquals(InboundOutcome.Result.IGNORED, receive(raw, "b-1-x@bounces.carteiro.test").result());
    }

    @Test
    void theSameMailboxMessageShouldCountOnlyOnce() throws SQLException {
        String email = data.uniqueEmail("seen.example");
        long list = data.list();
        long subscriber = data.subscriber(email, list);
        var sent = data.sent(subscriber, list, data.nextCampaignId(), email, Instant.now());
        byte[] raw = BounceTestData.dsn(email, "4.4.7", "expired", sent.rfcMessageId());
        String key = "imap:test:" + sent.messageId();

        var first = recorder.receive(new InboundMail(raw, null, null, InboundMail.Channel.MAILBOX, key));
        var second = recorder.receive(new InboundMail(raw, null, null, InboundMail.Channel.MAILBOX, key));

        assertEquals(InboundOutcome.Result.RECORDED, first.result());
        assertEquals(InboundOutcome.Result.ALREADY_SEEN, second.result());
        assertEquals(1, data.count("select count(*) from bounce where subscriber_id = " + subscriber));
        assertEquals("mailbox", data.string("select source from bounce where subscriber_id = " + subscriber));
    }

    @Test
    void mailtoUnsubscribeShouldUnsubscribeFromThatListOnly() throws SQLException {
        String email = data.uniqueEmail("mailto.example");
        long listA = data.list();
        long listB = data.list();
        long subscriber = data.subscriber(email, listA, listB);
        var sent = data.sent(subscriber, listA, data.nextCampaignId(), email, Instant.now());
        byte[] raw = ("From: " + email + "\r\nSubject: unsubscribe\r\n\r\n\r\n").getBytes();

        InboundOutcome outcome = receive(raw, UnsubscribeAddress.forReturnPath(sent.returnPath()));

        assertEquals(InboundOutcome.Result.UNSUBSCRIBED, outcome.result());
        assertEquals("unsubscribed", data.string("select status from subscription where subscriber_id = " + subscriber
                + " and list_id = " + listA));
        assertEquals("confirmed", data.string("select status from subscription where subscriber_id = " + subscriber
                + " and list_id = " + listB));
        assertTrue(data.string("select source from consent_event where subscriber_id = " + subscriber
                + " and event = 'unsubscribed'").equals("mailto"));
    }

    @Test
    void campaignMailtoAddressShouldUnsubscribeFromItsListAndAForgedOneNothing() throws SQLException {
        String email = data.uniqueEmail("campaign.mailto");
        long listA = data.list();
        long listB = data.list();
        long subscriber = data.subscriber(email, listA, listB);
        byte[] raw = ("From: " + email + "\r\nSubject: unsubscribe\r\n\r\n\r\n").getBytes();
        String genuine = links.unsubscribeMailbox(subscriber, listA, 77L);
        String forged = links.unsubscribeMailbox(subscriber, listB, 77L).replaceFirst("-[0-9a-f]{20}@", "-00000000000000000000@");

        assertEquals(BounceRecorder.RecipientCheck.FORGED_OR_UNKNOWN, recorder.checkRecipient(forged));
        assertEquals(BounceRecorder.RecipientCheck.ACCEPTED, recorder.checkRecipient(genuine));
        InboundOutcome outcome = receive(raw, genuine);

        assertEquals(InboundOutcome.Result.UNSUBSCRIBED, outcome.result());
        assertEquals("unsubscribed", data.string("select status from subscription where subscriber_id = " + subscriber
                + " and list_id = " + listA));
        assertEquals("confirmed", data.string("select status from subscription where subscriber_id = " + subscriber
                + " and list_id = " + listB));
    }
}
