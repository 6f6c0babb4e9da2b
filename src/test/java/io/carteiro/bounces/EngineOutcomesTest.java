package io.carteiro.bounces;

import io.carteiro.delivery.DeliveryOutcome;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.OutcomeKind;
import io.carteiro.delivery.TestSmtpServer.Behaviour;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the delivery engine's real outcomes count as, each reached by sending a campaign through the API to an SMTP
 * server on loopback that answers the way the test needs: a 550 is a hard bounce, a message that expires after
 * retried 4xx is one soft bounce, a single deferral counts nothing, a 5.7.1 policy block is recorded and blames
 * nobody.
 */
@QuarkusTest
@TestProfile(BounceNetwork.class)
class EngineOutcomesTest {

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    BounceTestData data;

    @Inject
    EngineOutcomes outcomes;

    @BeforeEach
    void network() {
        data.on(dns, ports);
    }

    private String status(long subscriber) {
        return data.string("select status from subscriber where id = " + subscriber);
    }

    @Test
    void aRecipientRefusedWith550ShouldBeAHardBounceThatMarksTheSubscriberBounced() {
        var r = data.recipient("gone", Behaviour.REJECT_RECIPIENT);

        BounceTestData.Sent sent = data.sendCampaign(r.list()).get(r.email());

        assertEquals("bounced", sent.state());
        assertEquals("hard|smtp|550|5.1.1|bounced", data.string("select concat_ws('|', kind, source, status_code, "
                + "enhanced_status, action) from bounce where outbound_message_id = " + sent.messageId()));
        assertEquals("bounced", status(r.subscriber()));
        assertEquals("status_changed|bounce", data.string("select concat_ws('|', event, source) from consent_event"
                + " where subscriber_id = " + r.subscriber() + " and bounce_id is not null"));
    }

    @Test
    void aMessageThatExpiresAfterRetried4xxShouldBeOneSoftBounceAndOneIsNotEnough() {
        var r = data.recipient("busy", Behaviour.DEFER_451);

        BounceTestData.Sent sent = data.sendCampaignOnce(r.list()).get(r.email());
        assertEquals("deferred", sent.state(), "the first 451 only defers the message");
        assertEquals(0, data.count("select count(*) from bounce where subscriber_id = " + r.subscriber()),
                "a single deferral counts nothing");

        assertEquals("failed", data.deliverUntilFinal(sent.messageId()));
        assertEquals("soft|smtp|451|counted", data.string("select concat_ws('|', kind, source, status_code, action)"
                + " from bounce where subscriber_id = " + r.subscriber()));
        assertEquals("active", status(r.subscriber()), "one soft bounce is below the threshold of three campaigns");
    }

    @Test
    void messagesThatExpireInThreeCampaignsShouldMarkTheSubscriberBounced() {
        var r = data.recipient("full", Behaviour.DEFER_451);

        for (int campaign = 1; campaign <= 3; campaign++) {
            assertEquals("failed", data.sendCampaign(r.list()).get(r.email()).state());
            assertEquals(campaign < 3 ? "active" : "bounced", status(r.subscriber()), "after campaign " + campaign);
        }
        assertEquals(3, data.count("select count(*) from bounce where subscriber_id = " + r.subscriber()
                + " and kind = 'soft'"));
        assertEquals("bounced", data.string("select action from bounce where subscriber_id = " + r.subscriber()
                + " order by id desc limit 1"));
    }

    @Test
    void aDeferralFollowedByDeliveryShouldCountNothing() {
        BounceTestData.OwnDomain domain = data.ownDomain("later", Behaviour.DEFER_421);
        String email = data.uniqueEmail(domain.name());
        long list = data.list();
        long subscriber = data.subscriber(email, list);

        BounceTestData.Sent sent = data.sendCampaignOnce(list).get(email);
        assertEquals("deferred", sent.state());
        domain.answer(Behaviour.ACCEPT);

        assertEquals("sent", data.deliverUntilFinal(sent.messageId()));
        assertEquals(0, data.count("select count(*) from bounce where subscriber_id = " + subscriber));
        assertEquals("active", status(subscriber));
    }

    @Test
    void aPolicyBlockShouldBeRecordedButNeverBlamedOnTheSubscriber() {
        var r = data.recipient("strict", Behaviour.REJECT_POLICY);

        BounceTestData.Sent sent = data.sendCampaign(r.list()).get(r.email());

        assertEquals("failed", sent.state());
        assertEquals("blocked|smtp|554|5.7.1|none", data.string("select concat_ws('|', kind, source, status_code, "
                + "enhanced_status, action) from bounce where outbound_message_id = " + sent.messageId()));
        assertEquals("active", status(r.subscriber()));
        assertEquals(0, data.count("select count(*) from consent_event where subscriber_id = " + r.subscriber()
                + " and bounce_id is not null"));
    }

    @Test
    void aDeliveryBetweenSoftBouncesShouldStartTheCountAgain() {
        BounceTestData.OwnDomain domain = data.ownDomain("flaky", Behaviour.DEFER_451);
        String email = data.uniqueEmail(domain.name());
        long list = data.list();
        long subscriber = data.subscriber(email, list);
        for (int i = 0; i < 2; i++) {
            assertEquals("failed", data.sendCampaign(list).get(email).state());
        }
        domain.answer(Behaviour.ACCEPT);
        assertEquals("sent", data.sendCampaign(list).get(email).state());
        domain.answer(Behaviour.DEFER_451);

        assertEquals("failed", data.sendCampaign(list).get(email).state());

        assertEquals(3, data.count("select count(*) from bounce where subscriber_id = " + subscriber));
        assertEquals("active", status(subscriber), "the delivery between them restarted the count");
    }

    /**
     * The engine retries a whole batch when its transaction fails after the listeners ran (TEAM.md contract), so the
     * same outcomes may reach the listener again: they must not make a second bounce or a second consent event.
     */
    @Test
    void theSameOutcomeHandedOverAgainShouldCountOnce() {
        var r = data.recipient("again", Behaviour.REJECT_RECIPIENT);
        BounceTestData.Sent sent = data.sendCampaign(r.list()).get(r.email());
        assertEquals("bounced", sent.state());

        DeliveryOutcome again = new DeliveryOutcome(sent.messageId(), sent.campaignId(), r.subscriber(), r.list(),
                r.email(), sent.rfcMessageId(), OutcomeKind.BOUNCED, 550, "5.1.1", "550 5.1.1 no such user",
                "mx.test", Instant.now());
        QuarkusTransaction.requiringNew().run(() -> outcomes.onFinalOutcomes(List.of(again, again)));

        assertEquals(1, data.count("select count(*) from bounce where outbound_message_id = " + sent.messageId()));
        assertEquals(1, data.count("select count(*) from consent_event where subscriber_id = " + r.subscriber()
                + " and bounce_id is not null"));
        assertEquals("bounced", status(r.subscriber()));
    }
}
