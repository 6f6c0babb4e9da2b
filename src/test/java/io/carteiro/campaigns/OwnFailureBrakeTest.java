package io.carteiro.campaigns;

import io.agroal.api.AgroalDataSource;
import io.carteiro.delivery.DeliveryTestSupport;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.TestSmtpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A template that fails for some subscribers' data (it passes the check at save, which renders a sample subscriber
 * without attributes) makes the engine record those messages as failed for Carteiro's own reasons: never a bounce
 * of the subscriber, and after a few of them ({@code carteiro.campaigns.own-failure-limit}, 3 here) the campaign
 * pauses itself with the reason on its page.
 */
@QuarkusTest
@TestProfile(CampaignNetwork.class)
class OwnFailureBrakeTest {

    /** {@code n.mod(0)} divides by zero for a subscriber who has an attribute n; the sample has none. */
    static final String BODY = "<p>Hello, your number is {subscriber.attributes.n.mod(0)}</p>"
            + "<p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>";

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DeliveryTestSupport delivery;

    CampaignFixture fixture;
    TestSmtpServer exchanger;

    @BeforeEach
    void setUp() {
        fixture = new CampaignFixture(dataSource);
    }

    @AfterEach
    void close() {
        if (exchanger != null) {
            exchanger.close();
        }
    }

    private String domain() throws IOException {
        String address = ports.nextAddress();
        exchanger = TestSmtpServer.start(address, ports.port(), TestSmtpServer.Behaviour.ACCEPT);
        String domain = "brake-" + fixture.tag + ".test";
        dns.mx(domain, 10, "mx." + domain).a("mx." + domain, address);
        return domain;
    }

    private long subscriber(long list, String email, Map<String, Object> attributes) {
        return CampaignsApiTest.api().body(Map.of("email", email, "attributes", attributes))
                .post("/api/lists/" + list + "/subscribers").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private JsonPath campaign(long id) {
        return CampaignsApiTest.api().get("/api/campaigns/" + id).then().statusCode(200).extract().jsonPath();
    }

    private void await(long id, String status) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!(campaign(id).getString("status").equals(status) && !campaign(id).getBoolean("queueing"))) {
            assertTrue(Instant.now().isBefore(deadline), "campaign " + id + " never became " + status);
            Thread.onSpinWait();
        }
    }

    /** Creates the campaign to the list through the API, sends it now and lets the engine handle each message. */
    private long sendNow(long list, String name) throws SQLException {
        long id = CampaignsApiTest.api().body(Map.of("name", name + " " + fixture.tag, "subject", "Numbers",
                        "fromEmail", "news@sender.test", "listIds", List.of(list), "html", BODY))
                .post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
        CampaignsApiTest.api().body(Map.of()).post("/api/campaigns/" + id + "/schedule").then().statusCode(200);
        await(id, "running");
        for (long row : fixture.longs("SELECT id FROM outbound_message WHERE campaign_id = " + id + " ORDER BY id")) {
            delivery.deliver(row);
        }
        return id;
    }

    @Test
    void aTemplateThatFailsForItsSubscribersShouldPauseTheCampaignWithTheReasonAndBlameNobody() throws Exception {
        String domain = domain();
        long list = CampaignsApiTest.api().body(Map.of("name", "Brake " + fixture.tag, "optIn", "single"))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
        List<Long> failing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            failing.add(subscriber(list, "n" + i + "@" + domain, Map.of("n", i + 1)));
        }
        long fine = subscriber(list, "plain@" + domain, Map.of());
        long id = sendNow(list, "Brake");

        JsonPath paused = campaign(id);
        assertEquals("paused", paused.getString("status"));
        String reason = paused.getString("pauseReason");
        assertTrue(reason.contains("paused by itself after 4 messages failed") && reason.contains("no content"), reason);
        assertEquals(1, exchanger.received().size(), "the subscriber whose data renders got the campaign");
        assertEquals(4, fixture.count("SELECT COUNT(*) FROM outbound_message WHERE campaign_id = " + id
                + " AND state = 'failed'"));
        for (long subscriber : failing) {
            assertEquals("active", fixture.single("SELECT status FROM subscriber WHERE id = " + subscriber),
                    "a template bug is never the subscriber's bounce");
            assertEquals(0, fixture.count("SELECT COUNT(*) FROM bounce WHERE subscriber_id = " + subscriber));
        }
        assertEquals("active", fixture.single("SELECT status FROM subscriber WHERE id = " + fine));

        String cookie = given().redirects().follow(false).formParam("j_username", "admin@carteiro.test")
                .formParam("j_password", "correct horse battery staple").post("/j_security_check")
                .cookie("carteiro-session");
        given().cookie("carteiro-session", cookie).get("/admin/campaigns/" + id).then().statusCode(200)
                .body(containsString("paused by itself after 4 messages failed"));

        CampaignsApiTest.api().post("/api/campaigns/" + id + "/resume").then().statusCode(200);
        assertEquals(0, fixture.count("SELECT own_failures FROM campaign WHERE id = " + id),
                "a resumed campaign counts its own failures afresh");
    }

    @Test
    void failuresBelowTheLimitShouldLeaveTheCampaignRunning() throws SQLException, IOException {
        String domain = domain();
        long list = CampaignsApiTest.api().body(Map.of("name", "Below " + fixture.tag, "optIn", "single"))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
        subscriber(list, "one@" + domain, Map.of("n", 1));
        subscriber(list, "two@" + domain, Map.of("n", 2));
        subscriber(list, "plain@" + domain, Map.of());
        long id = sendNow(list, "Below");

        assertEquals("running", campaign(id).getString("status"), "two of Carteiro's own failures are below three");
        assertEquals(2, fixture.count("SELECT own_failures FROM campaign WHERE id = " + id));
    }
}
