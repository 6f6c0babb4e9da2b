package io.carteiro.campaigns;

import io.carteiro.delivery.TestSmtpServer;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.carteiro.campaigns.CarteiroCluster.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14.2 with whole processes: a campaign whose recipients are mostly refused with 550 5.1.1, the sending
 * Carteiro killed with SIGKILL mid-way and started again. The bounce record, the subscriber's status and the consent
 * event are written in the transaction that records the outcome, so no row is left bounced with its subscriber still
 * active, at the kill or after the restart.
 */
class BouncesSurviveACrashTest {

    static final int REFUSED = 800;
    static final int ACCEPTED = 200;

    CarteiroCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyBouncedMessageShouldHaveItsBounceAndItsSubscribersStatusAfterAKill() throws Exception {
        cluster = CarteiroCluster.start();
        String gone = "gone-" + cluster.tag + ".test";
        String fine = "fine-" + cluster.tag + ".test";
        cluster.exchanger(gone, TestSmtpServer.Behaviour.REJECT_RECIPIENT);
        cluster.exchanger(fine, TestSmtpServer.Behaviour.ACCEPT_SLOWLY);
        // most recipients are refused: the streak brake (100 permanent failures in a row) would pause the campaign
        List<String> noStreakBrake = List.of("-Dcarteiro.campaigns.failure-streak=1000000");
        CarteiroCluster.Node first = cluster.startNode("bouncing", Duration.ofSeconds(10), noStreakBrake);
        long list = first.api().body(Map.of("name", "Crash bounces " + cluster.tag, "optIn", "single",
                "fromEmail", "news@sender.test")).post("/api/lists").then().statusCode(201).extract().jsonPath()
                .getLong("id");
        StringBuilder csv = new StringBuilder("email,name\n");
        for (int i = 0; i < REFUSED + ACCEPTED; i++) {
            csv.append("r").append(i).append('@').append(i % 5 == 4 ? fine : gone).append(",Reader ").append(i)
                    .append('\n');
        }
        long job = first.api().contentType("text/csv").queryParam("legalBasis", "consent at sign-up")
                .body(csv.toString().getBytes(StandardCharsets.UTF_8)).post("/api/lists/" + list + "/imports")
                .then().statusCode(202).extract().jsonPath().getLong("id");
        awaitTrue(Duration.ofSeconds(120), () -> "done".equals(first.api().get("/api/imports/" + job).then()
                .extract().jsonPath().getString("state")), "the import of " + (REFUSED + ACCEPTED) + " ended");

        long id = cluster.campaign(first, List.of(list), null);
        String bounced = "SELECT COUNT(*) FROM outbound_message WHERE campaign_id = " + id + " AND state = 'bounced'";
        awaitTrue(Duration.ofSeconds(120), () -> cluster.count(bounced) >= REFUSED / 5,
                "a fifth of the refused recipients bounced");
        first.kill();
        long bouncedAtKill = cluster.count(bounced);
        long unrecordedAtKill = cluster.count(unrecorded(id));
        long stillActiveAtKill = cluster.count(stillActive(id));

        Instant restarted = Instant.now();
        CarteiroCluster.Node second = cluster.startNode("restarted", Duration.ofSeconds(10), noStreakBrake);
        awaitTrue(Duration.ofSeconds(180), () -> cluster.count("SELECT COUNT(*) FROM outbound_message WHERE"
                        + " campaign_id = " + id + " AND state IN ('queued', 'sending', 'deferred')") == 0,
                "the restarted instance settled every message");
        JsonPath state = cluster.campaignState(second, id);

        long bouncedInAll = cluster.count(bounced);
        System.out.printf("bounces across a kill: %d recipients (%d refused), %d bounced at the kill with %d lacking"
                        + " a bounce record and %d subscribers still active; after the restart %d bounced, %d lacking"
                        + " a record, %d still active, %d bounce records, settled %d s after the restart%n",
                REFUSED + ACCEPTED, REFUSED, bouncedAtKill, unrecordedAtKill, stillActiveAtKill, bouncedInAll,
                cluster.count(unrecorded(id)), cluster.count(stillActive(id)),
                cluster.count("SELECT COUNT(*) FROM bounce WHERE campaign_id = " + id),
                Duration.between(restarted, Instant.now()).toSeconds());
        assertTrue(bouncedAtKill < REFUSED, "the kill came mid-way (" + bouncedAtKill + " of " + REFUSED + ")");
        assertEquals(0, unrecordedAtKill, "at the kill, every bounced row already had its bounce");
        assertEquals(0, stillActiveAtKill, "at the kill, every bounced row's subscriber was already bounced");
        assertEquals(REFUSED, bouncedInAll);
        assertEquals(0, cluster.count(unrecorded(id)), "every bounced row has its bounce record");
        assertEquals(0, cluster.count(stillActive(id)), "every bounced row's subscriber is bounced");
        assertEquals(REFUSED, cluster.count("SELECT COUNT(*) FROM bounce WHERE campaign_id = " + id
                + " AND kind = 'hard'"), "one hard bounce per refused recipient, none twice");
        assertEquals(REFUSED, cluster.count("SELECT COUNT(*) FROM consent_event e JOIN bounce b ON b.id = e.bounce_id"
                + " WHERE b.campaign_id = " + id), "each status change names its bounce");
        assertEquals(REFUSED, state.getInt("bounced"));
    }

    private static String unrecorded(long campaign) {
        return "SELECT COUNT(*) FROM outbound_message m WHERE m.campaign_id = " + campaign + " AND m.state = 'bounced'"
                + " AND NOT EXISTS (SELECT 1 FROM bounce b WHERE b.outbound_message_id = m.id)";
    }

    private static String stillActive(long campaign) {
        return "SELECT COUNT(*) FROM outbound_message m JOIN subscriber s ON s.id = m.subscriber_id"
                + " WHERE m.campaign_id = " + campaign + " AND m.state = 'bounced' AND s.status = 'active'";
    }
}
