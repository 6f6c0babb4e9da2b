package io.carteiro.bounces;

import io.carteiro.delivery.DeliveryTestSupport;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.MailQueue;
import io.carteiro.delivery.OutgoingMail;
import io.carteiro.delivery.TestSmtpServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole loop on loopback: the engine sends to one exchanger that rejects with 550 5.1.1 and to another that
 * accepts; a DSN for the accepted one arrives later at the bounce listener. Both subscribers end up bounced, what
 * was still queued for them is cancelled, and the next campaign leaves them out.
 */
@QuarkusTest
@TestProfile(LoopbackNetwork.class)
class BounceEndToEndTest {

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    MailQueue queue;
    @Inject
    DeliveryTestSupport delivery;
    @Inject
    BounceListener listener;
    @Inject
    BounceTestData data;

    private long submit(String to, long subscriber, long list) {
        return QuarkusTransaction.requiringNew().call(() -> queue.submit(new OutgoingMail(
                "News <news@sender.test>", to, "November letter", null, "Hello!", Map.of(), subscriber, list)));
    }

    /** The exchanger of {@code fromDomain} sends the bounce listener a DSN: {@code recipient} is gone for good. */
    private void sendDsn(String fromDomain, String returnPath, String recipient, String messageId) throws Exception {
        try (SmtpDialogue smtp = new SmtpDialogue(listener.port())) {
            smtp.send("EHLO mx." + fromDomain);
            assertTrue(smtp.send("MAIL FROM:<>").startsWith("250"));
            assertTrue(smtp.send("RCPT TO:<" + returnPath + ">").startsWith("250"), returnPath);
            assertTrue(smtp.send("DATA").startsWith("354"));
            assertTrue(smtp.data(BounceTestData.dsn(recipient, "5.1.1", "550 5.1.1 mailbox gone", messageId))
                    .startsWith("250"));
        }
    }

    /** An SMTP server on a fresh loopback address, published as the MX of {@code domain}. */
    private TestSmtpServer exchanger(String domain, TestSmtpServer.Behaviour behaviour) throws java.io.IOException {
        TestSmtpServer server = TestSmtpServer.start(ports.nextAddress(), ports.port(), behaviour);
        dns.mx(domain, 10, "mx." + domain).a("mx." + domain, server.address());
        return server;
    }

    @Test
    void synchronousRejectionAndLaterDsnShouldBothBounceTheirSubscribersAndCancelWhatIsQueued() throws Exception {
        String rejecting = "reject" + System.nanoTime() % 100000 + ".test";
        String accepting = "accept" + System.nanoTime() % 100000 + ".test";
        try (TestSmtpServer refuses = exchanger(rejecting, TestSmtpServer.Behaviour.REJECT_RECIPIENT);
             TestSmtpServer accepts = exchanger(accepting, TestSmtpServer.Behaviour.ACCEPT)) {
            long list = data.list();
            String gone = "gone@" + rejecting;
            String later = "later@" + accepting;
            long goneId = data.subscriber(gone, list);
            long laterId = data.subscriber(later, list);

            long first = submit(gone, goneId, list);
            long second = submit(later, laterId, list);
            assertEquals("bounced", delivery.deliver(first));
            assertEquals("sent", delivery.deliver(second));
            assertEquals("bounced", data.string("select status from subscriber where id = " + goneId),
                    "the 550 5.1.1 during the transaction is a hard bounce");
            given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                    .queryParam("email", gone).when().get("/api/bounces")
                    .then().statusCode(200).body("[0].kind", equalTo("hard")).body("[0].source", equalTo("smtp"));

            long queuedForLater = submit(later, laterId, list);
            String returnPath = accepts.received().get(0).from();
            String messageId = data.string("select message_id from outbound_message where id = " + second);
            sendDsn(accepting, returnPath, later, messageId);

            assertEquals("bounced", data.string("select status from subscriber where id = " + laterId));
            assertEquals("cancelled", data.string("select state from outbound_message where id = " + queuedForLater),
                    "what was queued for a bounced subscriber is not sent");
            assertEquals("dsn", data.string("select source from bounce where subscriber_id = " + laterId));
        }
    }

    @Test
    void campaignWithARejectedRecipientAndALaterDsnShouldBounceBothAndTheNextCampaignShouldSkipThem()
            throws Exception {
        String rejecting = "reject" + System.nanoTime() % 100000 + ".test";
        String accepting = "accept" + System.nanoTime() % 100000 + ".test";
        try (TestSmtpServer refuses = exchanger(rejecting, TestSmtpServer.Behaviour.REJECT_RECIPIENT);
             TestSmtpServer accepts = exchanger(accepting, TestSmtpServer.Behaviour.ACCEPT)) {
            long list = data.list();
            String gone = "gone@" + rejecting;
            String later = "later@" + accepting;
            String stays = "stays@" + accepting;
            long goneId = data.subscriber(gone, list);
            long laterId = data.subscriber(later, list);
            long staysId = data.subscriber(stays, list);

            long first = startCampaign(list, "First");
            for (long row : data.longs("select id from outbound_message where campaign_id = " + first)) {
                delivery.deliver(row);
            }
            assertEquals("bounced", data.string("select status from subscriber where id = " + goneId),
                    "the 550 5.1.1 at RCPT is a hard bounce");
            assertEquals(2, accepts.received().size());
            TestSmtpServer.Received toLater = accepts.received().stream()
                    .filter(m -> m.to().equalsIgnoreCase(later)).findFirst().orElseThrow();
            String messageId = data.string("select message_id from outbound_message where campaign_id = " + first
                    + " and subscriber_id = " + laterId);
            sendDsn(accepting, toLater.from(), later, messageId);
            for (String email : new String[]{gone, later}) {
                given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                        .queryParam("email", email).when().get("/api/subscribers")
                        .then().statusCode(200).body("[0].status", equalTo("bounced"));
            }

            long second = startCampaign(list, "Second");
            assertEquals(java.util.List.of(staysId), data.longs(
                    "select subscriber_id from outbound_message where campaign_id = " + second),
                    "the next campaign goes only to the subscriber that did not bounce");
        }
    }

    private long startCampaign(long list, String name) {
        var api = given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                .contentType("application/json");
        long id = api.body(Map.of("name", name + " " + System.nanoTime(), "subject", "Hello",
                        "fromEmail", "news@sender.test", "listIds", java.util.List.of(list),
                        "html", "<p>Hi</p><p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>"))
                .post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
        given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                .contentType("application/json").body(Map.of()).post("/api/campaigns/" + id + "/schedule")
                .then().statusCode(200);
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        while (!"running".equals(given().auth().preemptive().basic("admin@carteiro.test",
                "correct horse battery staple").get("/api/campaigns/" + id).then().extract().path("status"))) {
            assertTrue(java.time.Instant.now().isBefore(deadline), "campaign " + id + " did not start");
            Thread.onSpinWait();
        }
        return id;
    }
}
