package io.carteiro.campaigns;

import io.agroal.api.AgroalDataSource;
import io.carteiro.delivery.DeliveryTestSupport;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.TestSmtpServer;
import io.carteiro.delivery.VerpAddress;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Campaigns delivered by the real engine to SMTP servers on 127.0.0.x found through a loopback DNS server. */
@QuarkusTest
@TestProfile(CampaignNetwork.class)
class CampaignDeliveryTest {

    static final String BODY = "<p>Hello {subscriber.name}, from {list.name}</p>"
            + "<p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>";

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DeliveryTestSupport delivery;
    @Inject
    VerpAddress verp;
    @Inject
    CampaignPacer pacer;

    CampaignFixture fixture;
    final List<TestSmtpServer> servers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fixture = new CampaignFixture(dataSource);
    }

    @AfterEach
    void close() {
        servers.forEach(TestSmtpServer::close);
    }

    TestSmtpServer exchanger(String domain, TestSmtpServer.Behaviour behaviour) throws IOException {
        String address = ports.nextAddress();
        TestSmtpServer server = TestSmtpServer.start(address, ports.port(), behaviour);
        servers.add(server);
        dns.mx(domain, 10, "mx." + domain).a("mx." + domain, address);
        return server;
    }

    long startCampaign(long listId, String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name + " " + fixture.tag);
        body.put("subject", "Hello {subscriber.name}");
        body.put("fromEmail", "news@sender.test");
        body.put("fromName", "Carteiro News");
        body.put("listIds", List.of(listId));
        body.put("html", BODY);
        long id = CampaignsApiTest.api().body(body).post("/api/campaigns").then().statusCode(201).extract()
                .jsonPath().getLong("id");
        CampaignsApiTest.api().body(Map.of()).post("/api/campaigns/" + id + "/schedule").then().statusCode(200);
        awaitStatus(id, "running");
        return id;
    }

    JsonPath awaitStatus(long id, String status) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            JsonPath j = CampaignsApiTest.api().get("/api/campaigns/" + id).then().statusCode(200).extract().jsonPath();
            if (j.getString("status").equals(status) && !j.getBoolean("queueing")) {
                return j;
            }
            assertTrue(Instant.now().isBefore(deadline), "campaign " + id + " never became " + status);
            Thread.onSpinWait();
        }
    }

    void deliverAll(long campaignId) throws SQLException {
        for (long row : fixture.longs("SELECT id FROM outbound_message WHERE campaign_id = " + campaignId
                + " ORDER BY id")) {
            delivery.deliver(row);
        }
    }

    @Test
    void aPausedAndResumedCampaignShouldDeliverExactlyOneMessagePerEligibleSubscriberWithItsListHeaders()
            throws Exception {
        long list = fixture.list("Delivered");
        Map<String, TestSmtpServer> byDomain = new HashMap<>();
        List<Long> eligible = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            String domain = "camp" + d + "-" + fixture.tag + ".test";
            byDomain.put(domain, exchanger(domain, TestSmtpServer.Behaviour.ACCEPT));
            eligible.addAll(fixture.subscribers(12, "r" + d + "x", i -> domain, "Zé <b>", "active"));
        }
        fixture.subscribe(list, eligible, "confirmed");
        String firstDomain = byDomain.keySet().iterator().next();
        List<Long> unsubscribed = fixture.subscribers(3, "gone", i -> firstDomain, "G", "active");
        fixture.subscribe(list, unsubscribed, "unsubscribed");
        List<Long> blocklisted = fixture.subscribers(2, "blk", i -> firstDomain, "B", "blocklisted");
        fixture.subscribe(list, blocklisted, "confirmed");

        long id = startCampaign(list, "Delivery");
        CampaignsApiTest.api().post("/api/campaigns/" + id + "/pause").then().statusCode(200);
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM outbound_message WHERE campaign_id = " + id
                + " AND next_attempt_at IS NOT NULL"), "a paused campaign has nothing due");
        CampaignsApiTest.api().post("/api/campaigns/" + id + "/resume").then().statusCode(200);
        deliverAll(id);

        Set<String> recipients = new HashSet<>();
        int total = 0;
        for (Map.Entry<String, TestSmtpServer> e : byDomain.entrySet()) {
            for (TestSmtpServer.Received m : e.getValue().received()) {
                total++;
                assertTrue(recipients.add(m.to().toLowerCase()), "delivered twice: " + m.to());
                assertTrue(m.to().endsWith("@" + e.getKey()), m.to());
                String text = m.text();
                assertTrue(text.contains("List-Unsubscribe: <http://localhost:8080/u/"), text);
                assertTrue(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), text);
                assertTrue(text.contains("List-Id: "), text);
                assertTrue(text.contains("Feedback-ID: " + id + ":" + list + ":campaign:carteiro"), text);
                assertTrue(text.contains("Hello Z=C3=A9 &lt;b&gt;") || text.contains("Hello Zé &lt;b&gt;"), text);
                assertTrue(verp.decode(m.from()).isPresent(), "VERP return path: " + m.from());
            }
        }
        assertEquals(eligible.size(), total);
        for (long s : eligible) {
            assertTrue(recipients.contains(fixture.email(s).toLowerCase()), "not delivered to subscriber " + s);
        }
        CampaignsApiTest.api().get("/api/campaigns/" + id).then().statusCode(200)
                .body("sent", equalTo(36)).body("queued", equalTo(0)).body("remaining", equalTo(0));
        assertEquals(CampaignPacer.Step.FINISHED, pacer.advance(id));
        awaitStatus(id, "finished");
    }

    @Test
    void aCampaignShouldPauseItselfAfterAStreakOfPermanentFailuresAndSayWhy() throws Exception {
        long list = fixture.list("Rejected");
        String domain = "reject-" + fixture.tag + ".test";
        exchanger(domain, TestSmtpServer.Behaviour.REJECT_RECIPIENT);
        fixture.subscribe(list, fixture.subscribers(6, "nouser", i -> domain, "N", "active"), "confirmed");
        long id = startCampaign(list, "Rejected");
        deliverAll(id);

        assertEquals(CampaignPacer.Step.AUTO_PAUSED, pacer.advance(id));
        JsonPath paused = awaitStatus(id, "paused");
        assertTrue(paused.getString("pauseReason").contains("5 permanent delivery failures in a row"),
                paused.getString("pauseReason"));
        assertEquals(6, paused.getLong("bounced"));
    }
}
