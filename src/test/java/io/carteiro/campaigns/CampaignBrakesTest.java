package io.carteiro.campaigns;

import io.agroal.api.AgroalDataSource;
import io.carteiro.deliverability.ReputationBrakes;
import io.carteiro.delivery.DeliveryTestSupport;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.TestSmtpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reputation brakes (issue 17.5) on real campaigns delivered over SMTP to loopback exchangers: one whose
 * recipients mostly do not exist (550 5.1.1), one refused by policy (554 5.7.1) and a healthy one; the thresholds
 * are set through the API as a list owner would, and only the two hurting the domain pause themselves, each with its
 * reason on the campaign, their unsent messages held.
 */
@QuarkusTest
@TestProfile(CampaignNetwork.class)
class CampaignBrakesTest {

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DeliveryTestSupport delivery;
    @Inject
    ReputationBrakes brakes;

    CampaignFixture fixture;
    final List<TestSmtpServer> servers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fixture = new CampaignFixture(dataSource);
    }

    @AfterEach
    void close() {
        servers.forEach(TestSmtpServer::close);
        // the settings are shared by every test of this JVM: back to the defaults
        CampaignsApiTest.api().body(brakes(1000, 100, "5.00", 50)).put("/api/deliverability/brakes")
                .then().statusCode(200);
    }

    static Map<String, Object> brakes(int first, int min, String hardPercent, int providerMinAttempts) {
        Map<String, Object> b = new HashMap<>();
        b.put("enabled", true);
        b.put("firstMessages", first);
        b.put("minMessages", min);
        b.put("hardBouncePercent", hardPercent);
        b.put("complaintPercent", "0.3");
        b.put("minDelivered", 1000);
        b.put("providerRefusalPercent", "50");
        b.put("providerMinAttempts", providerMinAttempts);
        return b;
    }

    void exchanger(String domain, TestSmtpServer.Behaviour behaviour) throws IOException {
        String address = ports.nextAddress();
        servers.add(TestSmtpServer.start(address, ports.port(), behaviour));
        dns.mx(domain, 10, "mx." + domain).a("mx." + domain, address);
    }

    long campaign(String name, List<Long> subscribers) throws SQLException {
        long list = fixture.list(name);
        fixture.subscribe(list, subscribers, "confirmed");
        Map<String, Object> body = new HashMap<>();
        body.put("name", name + " " + fixture.tag);
        body.put("subject", "Hello");
        body.put("fromEmail", "news@sender.test");
        body.put("listIds", List.of(list));
        body.put("html", CampaignDeliveryTest.BODY);
        long id = CampaignsApiTest.api().body(body).post("/api/campaigns").then().statusCode(201).extract()
                .jsonPath().getLong("id");
        CampaignsApiTest.api().body(Map.of()).post("/api/campaigns/" + id + "/schedule").then().statusCode(200);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        for (JsonPath j = campaign(id); !"running".equals(j.getString("status")) || j.getBoolean("queueing");
             j = campaign(id)) {
            assertTrue(Instant.now().isBefore(deadline), "campaign " + id + " never finished queueing");
            Thread.onSpinWait();
        }
        return id;
    }

    JsonPath campaign(long id) {
        return CampaignsApiTest.api().get("/api/campaigns/" + id).then().statusCode(200).extract().jsonPath();
    }

    void deliverFirst(long campaignId, int n) throws SQLException {
        for (long row : fixture.longs("SELECT id FROM outbound_message WHERE campaign_id = " + campaignId
                + " ORDER BY id LIMIT " + n)) {
            delivery.deliver(row);
        }
    }

    @Test
    void aCampaignShouldPauseItselfOnABounceSpikeOrAProviderRefusingItButAHealthyOneGoesOn() throws Exception {
        String missing = "nouser-" + fixture.tag + ".test";
        String refusing = "policy-" + fixture.tag + ".test";
        String fine = "fine-" + fixture.tag + ".test";
        exchanger(missing, TestSmtpServer.Behaviour.REJECT_RECIPIENT);
        exchanger(refusing, TestSmtpServer.Behaviour.REJECT_POLICY);
        exchanger(fine, TestSmtpServer.Behaviour.ACCEPT);
        CampaignsApiTest.api().body(brakes(10, 10, "50", 8)).put("/api/deliverability/brakes").then()
                .statusCode(200);

        List<Long> stale = fixture.subscribers(8, "gone", i -> missing, "G", "active");
        stale.addAll(fixture.subscribers(4, "here", i -> fine, "H", "active"));
        long bouncing = campaign("Stale", stale);
        long refused = campaign("Refused", fixture.subscribers(10, "pol", i -> refusing, "P", "active"));
        long healthy = campaign("Healthy", fixture.subscribers(10, "ok", i -> fine, "O", "active"));

        deliverFirst(bouncing, 10);
        deliverFirst(refused, 10);
        deliverFirst(healthy, 10);
        // a look counts the attempts logged before the previous look (so none still committing is skipped): two
        // looks count everything delivered above
        brakes.tick();
        brakes.tick();

        JsonPath b = campaign(bouncing);
        assertEquals("paused", b.getString("status"));
        assertTrue(b.getString("pauseReason").matches("(?s)Paused by itself: ([6-9]|10) of its first 10 messages "
                + "bounced hard .*over the 50% set in the deliverability settings.*"), b.getString("pauseReason"));
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM outbound_message WHERE campaign_id = " + bouncing
                + " AND next_attempt_at IS NOT NULL"), "the unsent messages of a paused campaign are held");

        JsonPath r = campaign(refused);
        assertEquals("paused", r.getString("status"));
        assertTrue(r.getString("pauseReason").contains("refused 10 of the last 10 attempts (100.0%, over the 50%"),
                r.getString("pauseReason"));
        assertTrue(r.getString("pauseReason").contains("last reply 554 5.7.1"), r.getString("pauseReason"));

        assertEquals("running", campaign(healthy).getString("status"), "a healthy campaign is not braked");
    }
}
