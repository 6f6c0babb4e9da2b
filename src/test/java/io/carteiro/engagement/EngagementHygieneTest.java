package io.carteiro.engagement;

import io.agroal.api.AgroalDataSource;
import io.carteiro.campaigns.CampaignNetwork;
import io.carteiro.delivery.DeliveryTestSupport;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.TestSmtpServer;
import io.carteiro.support.MutableClock;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * List hygiene as a list owner meets it: engagement segments saved and counted through the API, each list's health,
 * and the sunset rule over months of a test clock — the re-engagement campaign mailed once through the real engine,
 * people who answer kept, the silent ones (machine clicks are silence) unsubscribed once with a consent event
 * {@code inactive}, however often the rule runs. UTM parameters on a campaign's tracked links.
 */
@QuarkusTest
@TestProfile(CampaignNetwork.class)
class EngagementHygieneTest {

    static final String BROWSER = TrackingEndToEndTest.BROWSER;
    static final String SCANNER = "Mozilla/5.0 (compatible; Mimecast Link Scanner)";

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DeliveryTestSupport delivery;
    @Inject
    Settler settler;
    @Inject
    SunsetRule sunset;
    @Inject
    Clock clock;

    TrackedCampaign campaign;

    @AfterEach
    void close() {
        if (campaign != null) {
            campaign.close();
        }
    }

    void settleAll() {
        while (settler.settle(clock.instant().plusSeconds(3600)) > 0) {
            // until nothing is pending
        }
    }

    static int click(String path, String agent) {
        return given().redirects().follow(false).header("User-Agent", agent).get(path).then().extract().statusCode();
    }

    @Test
    void segmentsShouldCountPeopleOnlyAndRefuseWhatTheyCannotMean() throws Exception {
        campaign = new TrackedCampaign(dataSource, dns, ports).list("subscriber", false, "alice", "bob", "carol");
        Map<String, TrackedCampaign.Message> mail = campaign.send(delivery);
        assertEquals(302, click(mail.get("alice").links().get(0), BROWSER));
        // Bob's mail filter follows both links at once, the decoy too: a machine, never engagement.
        TrackedCampaign.Message bob = mail.get("bob");
        given().redirects().follow(false).header("User-Agent", BROWSER).head(bob.links().get(0)).then()
                .statusCode(302);
        assertEquals(302, click(bob.links().get(0), BROWSER));
        assertEquals(302, click(bob.links().get(1), SCANNER));
        settleAll();
        long list = campaign.listId;

        assertEquals(1, count(segment("clicked", list, "days", 30)));
        assertEquals(1, count(segment("engaged", list, "days", 30)));
        assertEquals(0, count(segment("opened", list, "days", 30)), "nobody's images were loaded by a person");
        assertEquals(2, count(segment("inactive", list, "campaigns", 1)), "bob's machine clicks are silence");
        assertEquals(0, count(segment("inactive", list, "campaigns", 2)));
        long both = TrackedCampaign.api().body(Map.of("name", "clicked and inactive", "conditions", List.of(
                        Map.of("type", "clicked", "listId", list, "days", 30),
                        Map.of("type", "inactive", "listId", list, "campaigns", 1))))
                .post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");
        assertEquals(0, count(both));
        TrackedCampaign.api().get("/api/segments/" + both).then().statusCode(200)
                .body("name", equalTo("clicked and inactive")).body("conditions[1].type", equalTo("inactive"))
                .body("conditions[1].campaigns", equalTo(1));

        // Wrong, missing, oversized and hostile segments: 400 or 422 naming what is wrong, never 5xx.
        Map<String, Object> ok = Map.of("type", "clicked", "listId", list, "days", 30);
        refused(400, "name", Map.of("conditions", List.of(ok)));
        refused(400, "name", Map.of("name", "x".repeat(201), "conditions", List.of(ok)));
        refused(400, "name", Map.of("name", "two\nlines", "conditions", List.of(ok)));
        refused(400, "name", Map.of("name", Map.of("first", "n"), "conditions", List.of(ok)));
        refused(400, "conditions", Map.of("name", "n"));
        refused(400, "conditions", Map.of("name", "n", "conditions", "clicked"));
        refused(400, "conditions", Map.of("name", "n", "conditions", List.of()));
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            many.add(ok);
        }
        refused(400, "conditions", Map.of("name", "n", "conditions", many));
        refused(400, "conditions[0]", Map.of("name", "n", "conditions", List.of("clicked")));
        refused(400, "conditions[0].type", Map.of("name", "n", "conditions", List.of(
                Map.of("type", "sleepy", "listId", list, "days", 3))));
        refused(400, "conditions[0].days", Map.of("name", "n", "conditions", List.of(
                Map.of("type", "clicked", "listId", list, "days", 0))));
        refused(400, "conditions[0].days", Map.of("name", "n", "conditions", List.of(
                Map.of("type", "clicked", "listId", list, "days", "30"))));
        refused(400, "conditions[0].days", Map.of("name", "n", "conditions", List.of(
                Map.of("type", "clicked", "listId", list, "days", 99999999999L))));
        refused(400, "conditions[0].days", Map.of("name", "n", "conditions", List.of(
                Map.of("type", "inactive", "listId", list, "days", 3))));
        refused(400, "conditions[0].campaigns", Map.of("name", "n", "conditions", List.of(
                Map.of("type", "inactive", "listId", list))));
        refused(400, "conditions[0].listId", Map.of("name", "n", "conditions", List.of(
                Map.of("type", "clicked", "listId", -1, "days", 3))));
        refused(400, "conditions[1].sql", Map.of("name", "n", "conditions", List.of(ok,
                Map.of("type", "clicked", "listId", list, "days", 3, "sql", "1=1; drop table segment"))));
        refused(422, "conditions[0].listId", Map.of("name", "n", "conditions", List.of(
                Map.of("type", "clicked", "listId", 999_999_999_999L, "days", 3))));
        TrackedCampaign.api().body("{\"name\": \"broken\", \"conditions\": [").post("/api/segments").then()
                .statusCode(400);
        TrackedCampaign.api().body("[]").post("/api/segments").then().statusCode(400);
        TrackedCampaign.api().get("/api/segments/999999999/count").then().statusCode(404);
        TrackedCampaign.api().get("/api/segments/abc/count").then().statusCode(404);
        given().contentType("application/json").body(Map.of("name", "n", "conditions", List.of(ok)))
                .post("/api/segments").then().statusCode(401);

        // The list's health on its page and on the dashboard: alice engaged, bob and carol at risk.
        String session = signIn();
        String page = given().cookie("carteiro-session", session).get("/admin/lists/" + list).then()
                .statusCode(200).extract().asString();
        assertTrue(page.contains("<span id=\"health-engaged\">1</span>"), page);
        assertTrue(page.contains("<span id=\"health-at-risk\">2</span>"), page);
        String dashboard = given().cookie("carteiro-session", session).get("/admin").then().statusCode(200)
                .extract().asString();
        assertTrue(dashboard.contains("data-list=\"" + list + "\""), dashboard);
        assertTrue(dashboard.replaceAll("\\s+", " ").contains("<td class=\"engaged\">1</td><td class=\"at-risk\">2</td>"
                + "<td class=\"dormant\">0</td>"), dashboard);

        // The list's engagement page: its health and the sunset rule's form, which refuses a rule it cannot run.
        Response hygiene = given().cookie("carteiro-session", session).get("/admin/lists/" + list + "/engagement");
        assertEquals(200, hygiene.statusCode());
        assertTrue(hygiene.asString().contains("id=\"sunset-form\""), hygiene.asString());
        String token = hygiene.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        var refusedRule = given().cookie("carteiro-session", session).formParam("csrf-token", token)
                .formParam("enabled", "on").formParam("months", "6").formParam("graceDays", "30")
                .formParam("campaignId", "");
        if (hygiene.cookie("csrf-token") != null) {
            refusedRule = refusedRule.cookie("csrf-token", hygiene.cookie("csrf-token"));
        }
        Response answer = refusedRule.post("/admin/lists/" + list + "/engagement/sunset");
        assertEquals(422, answer.statusCode(), answer.asString());
        assertTrue(answer.asString().contains("re-engagement campaign"), answer.asString());
        var badMonths = given().cookie("carteiro-session", session).formParam("csrf-token", token)
                .formParam("months", "many").formParam("graceDays", "30");
        if (hygiene.cookie("csrf-token") != null) {
            badMonths = badMonths.cookie("csrf-token", hygiene.cookie("csrf-token"));
        }
        assertEquals(422, badMonths.post("/admin/lists/" + list + "/engagement/sunset").statusCode());
        given().cookie("carteiro-session", session).formParam("months", "6").formParam("graceDays", "30")
                .post("/admin/lists/" + list + "/engagement/sunset").then().statusCode(400); // no CSRF token
        given().cookie("carteiro-session", session).get("/admin/lists/999999999/engagement").then().statusCode(404);

        // Alice's page shows her click; an aggregate list shows nobody's.
        String alice = given().cookie("carteiro-session", session)
                .get("/admin/subscribers/" + campaign.subscribers.get("alice")).then().statusCode(200).extract()
                .asString();
        assertTrue(alice.contains(TrackedCampaign.ARTICLE) && alice.contains(">person<"), alice);
        TrackedCampaign aggregate = new TrackedCampaign(dataSource, dns, ports).list("aggregate", false, "frank");
        try {
            assertEquals(302, click(aggregate.send(delivery).get("frank").links().get(0), BROWSER));
            settleAll();
            String frank = given().cookie("carteiro-session", session)
                    .get("/admin/subscribers/" + aggregate.subscribers.get("frank")).then().statusCode(200)
                    .extract().asString();
            assertTrue(frank.contains("id=\"no-hits\""), frank);
            assertFalse(frank.contains(TrackedCampaign.ARTICLE), frank);
        } finally {
            aggregate.close();
        }
    }

    @Test
    void utmParametersShouldReachTrackedTargetsOnlyWhenTurnedOnAndNeverOverrideALinksOwn() throws Exception {
        campaign = new TrackedCampaign(dataSource, dns, ports).list("subscriber", false, "ursula");
        String html = "<p><a href=\"https://news.example.org/a?utm_source=partner&amp;id=2\">Partner</a></p>"
                + "<p><a href=\"https://news.example.org/b#top\">Top</a></p>"
                + "<p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>";
        long draft = draft(campaign.listId, "UTM " + campaign.tag, html);
        TrackedCampaign.api().get("/api/campaigns/" + draft + "/utm").then().statusCode(200)
                .body("enabled", equalTo(false));
        // Values kept while off; on, they go out.
        TrackedCampaign.api().body(Map.of("enabled", false, "source", "newsletter", "medium", "email"))
                .put("/api/campaigns/" + draft + "/utm").then().statusCode(200).body("enabled", equalTo(false))
                .body("source", equalTo("newsletter"));
        TrackedCampaign.api().body(Map.of("enabled", true, "source", "news<script>")).put("/api/campaigns/" + draft
                + "/utm").then().statusCode(400).body("field", equalTo("source"));
        TrackedCampaign.api().body(Map.of("enabled", true, "campaign", "x".repeat(101))).put("/api/campaigns/"
                + draft + "/utm").then().statusCode(400).body("field", equalTo("campaign"));
        TrackedCampaign.api().body(Map.of("enabled", true)).put("/api/campaigns/" + draft + "/utm").then()
                .statusCode(400).body("field", equalTo("enabled"));
        TrackedCampaign.api().body(Map.of("enabled", true)).put("/api/campaigns/999999999/utm").then()
                .statusCode(404);

        // The campaign page's form turns them on.
        String session = signIn();
        Response form = given().cookie("carteiro-session", session).get("/admin/campaigns/" + draft);
        assertEquals(200, form.statusCode());
        assertTrue(form.asString().contains("id=\"utm-form\""), form.asString());
        String token = form.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        var post = given().cookie("carteiro-session", session).redirects().follow(false)
                .formParam("csrf-token", token).formParam("utmEnabled", "on").formParam("utmSource", "newsletter")
                .formParam("utmMedium", "email").formParam("utmCampaign", "Winter sale");
        if (form.cookie("csrf-token") != null) {
            post = post.cookie("csrf-token", form.cookie("csrf-token"));
        }
        assertEquals(303, post.post("/admin/campaigns/" + draft + "/utm").statusCode());
        given().cookie("carteiro-session", session).redirects().follow(false).formParam("utmEnabled", "on")
                .formParam("utmSource", "newsletter").post("/admin/campaigns/" + draft + "/utm").then()
                .statusCode(400); // no CSRF token
        TrackedCampaign.api().get("/api/campaigns/" + draft + "/utm").then().statusCode(200)
                .body("enabled", equalTo(true)).body("campaign", equalTo("Winter sale"));

        TrackedCampaign.Message ursula = campaign.sendDraft(delivery, draft).get("ursula");
        assertEquals("https://news.example.org/a?utm_source=partner&id=2&utm_medium=email&utm_campaign=Winter+sale",
                target(ursula.links().get(0)));
        assertEquals("https://news.example.org/b?utm_source=newsletter&utm_medium=email&utm_campaign=Winter+sale#top",
                target(ursula.links().get(1)));
        // Off by default: a campaign whose owner never turned them on sends the links as written.
        TrackedCampaign.Message plain = campaign.send(delivery, html).get("ursula");
        assertEquals("https://news.example.org/b#top", target(plain.links().get(1)));
        // Fixed once sent.
        TrackedCampaign.api().body(Map.of("enabled", false)).put("/api/campaigns/" + campaign.campaignId + "/utm")
                .then().statusCode(409);
    }

    @Test
    void theSunsetRuleShouldMailTheSilentOnceAndUnsubscribeThoseWhoStaySilentOnce() throws Exception {
        MutableClock time = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(time, Clock.class);
        campaign = new TrackedCampaign(dataSource, dns, ports).list("subscriber", false, "alice", "bob", "carol");
        Map<String, TrackedCampaign.Message> mail = campaign.send(delivery);
        long list = campaign.listId;
        // Bob's scanner clicks everything, every time: never engagement.
        assertEquals(302, click(mail.get("bob").links().get(0), SCANNER));
        settleAll();

        long reengage = draft(list, "Still with us? " + campaign.tag,
                "<p>Still interested? <a href=\"https://news.example.org/stay\">Yes, keep me</a></p>"
                        + "<p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>");
        // The rule is off by default and refuses what it cannot do.
        TrackedCampaign.api().get("/api/lists/" + list).then().statusCode(200).body("sunset.enabled", equalTo(false));
        putSunset(list, Map.of("enabled", true, "months", 6)).then().statusCode(422).body("field",
                equalTo("campaignId"));
        putSunset(list, Map.of("enabled", true, "months", 0, "campaignId", reengage)).then().statusCode(422)
                .body("field", equalTo("months"));
        putSunset(list, Map.of("enabled", true, "months", 6, "graceDays", 366, "campaignId", reengage)).then()
                .statusCode(422).body("field", equalTo("graceDays"));
        putSunset(list, Map.of("enabled", true, "months", "six", "campaignId", reengage)).then().statusCode(400);
        putSunset(list, Map.of("enabled", true, "months", 6, "campaignId", 999_999_999L)).then().statusCode(422)
                .body("field", equalTo("campaignId"));
        TrackedCampaign.api().body("{").put("/api/lists/" + list + "/sunset").then().statusCode(400);
        putSunset(999_999_999L, Map.of("enabled", false)).then().statusCode(404);
        TrackedCampaign aggregate = new TrackedCampaign(dataSource, dns, ports).list("aggregate", false);
        try {
            putSunset(aggregate.listId, Map.of("enabled", true, "months", 6, "campaignId", reengage)).then()
                    .statusCode(422).body("field", equalTo("enabled"));
        } finally {
            aggregate.close();
        }
        putSunset(list, Map.of("enabled", true, "months", 6, "graceDays", 30, "campaignId", reengage)).then()
                .statusCode(200).body("enabled", equalTo(true));
        TrackedCampaign.api().get("/api/lists/" + list).then().statusCode(200)
                .body("sunset.enabled", equalTo(true)).body("sunset.months", equalTo(6))
                .body("sunset.graceDays", equalTo(30)).body("sunset.campaignId", equalTo((int) reengage));

        try {
            sunsetOverMonths(time, mail, list, reengage);
        } finally {
            putSunset(list, Map.of("enabled", false)).then().statusCode(200); // later runs of the suite see it off
        }
    }

    private void sunsetOverMonths(MutableClock time, Map<String, TrackedCampaign.Message> mail, long list,
                                  long reengage) throws Exception {
        long bobId = campaign.subscribers.get("bob");
        long carolId = campaign.subscribers.get("carol");
        long aliceId = campaign.subscribers.get("alice");
        sunset.run();
        assertEquals(List.of(0L), campaign.longs("SELECT COUNT(*) FROM outbound_message WHERE campaign_id = "
                + reengage), "nobody has been quiet for 6 months");

        // Five months on, alice clicks as a person; a month and a day later bob and carol have been silent 6 months.
        time.advance(Duration.ofDays(150));
        assertEquals(302, click(mail.get("alice").links().get(0), BROWSER));
        settleAll();
        time.advance(Duration.ofDays(40));
        sunset.run();
        List<Long> queued = campaign.longs("SELECT subscriber_id FROM outbound_message WHERE campaign_id = "
                + reengage + " ORDER BY subscriber_id");
        assertEquals(List.of(bobId, carolId), queued);
        sunset.run();
        sunset.run();
        assertEquals(queued, campaign.longs("SELECT subscriber_id FROM outbound_message WHERE campaign_id = "
                + reengage + " ORDER BY subscriber_id"), "running again mails nobody twice");

        int before = campaign.exchanger.received().size();
        for (long row : campaign.longs("SELECT id FROM outbound_message WHERE campaign_id = " + reengage)) {
            assertEquals("sent", delivery.deliver(row));
        }
        Map<String, TrackedCampaign.Message> reengagement = new HashMap<>();
        List<TestSmtpServer.Received> received = campaign.exchanger.received();
        for (TestSmtpServer.Received m : received.subList(before, received.size())) {
            reengagement.put(m.to().substring(0, m.to().indexOf('-')), TrackedCampaign.parse(m));
        }
        assertEquals(List.of("bob", "carol"), reengagement.keySet().stream().sorted().toList());

        // Carol answers as a person; bob's scanner follows the link (HEAD then GET) and bob stays silent.
        time.advance(Duration.ofDays(2));
        assertEquals(302, click(reengagement.get("carol").links().get(0), BROWSER));
        given().redirects().follow(false).header("User-Agent", BROWSER).head(reengagement.get("bob").links().get(0))
                .then().statusCode(302);
        assertEquals(302, click(reengagement.get("bob").links().get(0), BROWSER));
        settleAll();

        time.advance(Duration.ofDays(27));
        sunset.run();
        assertEquals(List.of(0L), inactiveEvents(bobId), "the grace period has not ended yet");
        time.advance(Duration.ofDays(2));
        sunset.run();
        sunset.run();
        assertEquals(List.of(1L), inactiveEvents(bobId));
        assertEquals(List.of(0L), inactiveEvents(carolId), "carol answered");
        assertEquals(List.of(0L), inactiveEvents(aliceId));
        assertEquals(List.of("unsubscribed", "confirmed", "confirmed"), campaign.strings(
                "SELECT status FROM subscription WHERE list_id = " + list + " AND subscriber_id IN (" + bobId + ", "
                        + carolId + ", " + aliceId + ") ORDER BY subscriber_id = " + bobId + " DESC, subscriber_id"));
        assertEquals(2, campaign.longs("SELECT COUNT(*) FROM outbound_message WHERE campaign_id = " + reengage)
                .get(0));
    }

    private List<Long> inactiveEvents(long subscriberId) throws Exception {
        return campaign.longs("SELECT COUNT(*) FROM consent_event WHERE event = 'inactive' AND subscriber_id = "
                + subscriberId + " AND list_id = " + campaign.listId);
    }

    private static io.restassured.response.Response putSunset(long list, Map<String, Object> body) {
        return TrackedCampaign.api().body(body).put("/api/lists/" + list + "/sunset");
    }

    private static long draft(long list, String name, String html) {
        return TrackedCampaign.api().body(Map.of("name", name, "subject", name, "fromEmail", "news@sender.test",
                        "listIds", List.of(list), "html", html)).post("/api/campaigns").then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    private static String target(String tracked) {
        return given().redirects().follow(false).header("User-Agent", BROWSER).get(tracked).then().statusCode(302)
                .extract().header("Location");
    }

    private static long segment(String type, long list, String amount, int n) {
        return TrackedCampaign.api().body(Map.of("name", type + " " + n, "conditions",
                        List.of(Map.of("type", type, "listId", list, amount, n))))
                .post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static long count(long segment) {
        return TrackedCampaign.api().get("/api/segments/" + segment + "/count").then().statusCode(200).extract()
                .jsonPath().getLong("count");
    }

    private static void refused(int status, String field, Map<String, Object> body) {
        TrackedCampaign.api().body(body).post("/api/segments").then().statusCode(status)
                .body("field", equalTo(field)).body("error", org.hamcrest.Matchers.notNullValue());
    }

    private static String signIn() {
        return given().redirects().follow(false).formParam("j_username", "admin@carteiro.test")
                .formParam("j_password", "correct horse battery staple")
                .header("X-Forwarded-For", "10.78.0." + (int) (Math.random() * 200 + 1))
                .post("/j_security_check").cookie("carteiro-session");
    }
}
