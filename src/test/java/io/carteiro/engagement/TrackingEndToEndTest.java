package io.carteiro.engagement;

import io.agroal.api.AgroalDataSource;
import io.carteiro.campaigns.CampaignNetwork;
import io.carteiro.delivery.DeliveryTestSupport;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A campaign delivered by the real engine, its messages' links followed as people and as machines follow them,
 * replayed against the running app: what is counted, as what, why, in the report and its CSV; what erasure removes.
 */
@QuarkusTest
@TestProfile(CampaignNetwork.class)
class TrackingEndToEndTest {

    static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36";

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DeliveryTestSupport delivery;
    @Inject
    Settler settler;

    TrackedCampaign campaign;

    @AfterEach
    void close() {
        if (campaign != null) {
            campaign.close();
        }
    }

    /** Settles every hit received so far, as the settle loop does once their window has passed. */
    void settleAll() {
        while (settler.settle(Instant.now().plusSeconds(3600)) > 0) {
            // until nothing is pending
        }
    }

    static int get(String path, String agent) {
        return given().redirects().follow(false).header("User-Agent", agent).get(path).then().extract().statusCode();
    }

    @Test
    void peopleAndMachinesShouldBeCountedApartWithTheirReasonsAndErasureShouldRemoveWhoClicked() throws Exception {
        campaign = new TrackedCampaign(dataSource, dns, ports)
                .list("subscriber", true, "alice", "bob", "carol", "dave", "erin");
        Map<String, TrackedCampaign.Message> mail = campaign.send(delivery);
        assertEquals(5, mail.size(), mail.keySet().toString());
        TrackedCampaign.Message alice = mail.get("alice");
        assertEquals(2, alice.links().size(), alice.toString());
        assertNotNull(alice.decoy(), "an invisible decoy link");
        assertNotNull(alice.open(), "the list counts opens: a 1x1 image");

        // Alice, a person: opens the message, follows the article link twice (one unique click).
        given().header("User-Agent", BROWSER).get(alice.open()).then().statusCode(200)
                .contentType("image/gif").header("Cache-Control", containsString("no-store"));
        given().redirects().follow(false).header("User-Agent", BROWSER).get(alice.links().get(0)).then()
                .statusCode(302).header("Location", equalTo(TrackedCampaign.ARTICLE));
        assertEquals(302, get(alice.links().get(0), BROWSER));

        // Bob's mail filter: HEAD, then GET of the same link at once, with a browser's user agent.
        TrackedCampaign.Message bob = mail.get("bob");
        given().redirects().follow(false).header("User-Agent", BROWSER).head(bob.links().get(0)).then()
                .statusCode(302);
        assertEquals(302, get(bob.links().get(0), BROWSER));

        // Carol's: Apple's privacy proxy loads the image; a scanner follows every link, the decoy too.
        TrackedCampaign.Message carol = mail.get("carol");
        given().header("User-Agent", "Mozilla/5.0").get(carol.open()).then().statusCode(200);
        given().header("User-Agent", BROWSER).get(carol.decoy()).then().statusCode(200)
                .body(containsString("leads nowhere"));
        assertEquals(302, get(carol.links().get(1), BROWSER));

        // Dave's: both links within a second; Erin's: a scanner that says what it is.
        TrackedCampaign.Message dave = mail.get("dave");
        assertEquals(302, get(dave.links().get(0), BROWSER));
        assertEquals(302, get(dave.links().get(1), BROWSER));
        assertEquals(302, get(mail.get("erin").links().get(1), "Mozilla/5.0 (compatible; Mimecast Link Scanner)"));

        // Altered, unknown and wrong-kind tokens: 404 and never a redirect.
        String link = alice.links().get(0);
        int at = link.length() - 5; // inside the MAC, a character whose six bits all count
        String altered = link.substring(0, at) + (link.charAt(at) == 'A' ? 'B' : 'A') + link.substring(at + 1);
        for (String bad : List.of(altered,
                "/r/nothing-here", "/r/" + alice.open().substring(3), "/o/" + link.substring(3))) {
            given().redirects().follow(false).header("User-Agent", BROWSER).get(bad).then().statusCode(404)
                    .header("Location", nullValue());
        }

        // Bob unsubscribes with his mail client's one-click button.
        given().contentType("application/x-www-form-urlencoded").body("List-Unsubscribe=One-Click")
                .post(bob.unsubscribe()).then().statusCode(200);

        settleAll();
        long id = campaign.campaignId;
        assertEquals(List.of("person", "person"), reasons("alice", 1));
        assertEquals(List.of("person"), reasons("alice", 2));
        assertEquals(List.of("head", "after_head"), reasons("bob", 1));
        assertEquals(List.of("privacy_proxy"), reasons("carol", 2));
        assertEquals(List.of("decoy", "near_decoy"), reasons("carol", 1));
        assertEquals(List.of("link_burst", "link_burst"), reasons("dave", 1));
        assertEquals(List.of("scanner_agent"), reasons("erin", 1));

        JsonPath report = TrackedCampaign.api().get("/api/campaigns/" + id + "/report").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(5, report.getLong("delivered"));
        assertEquals(0, report.getLong("bounced"));
        assertEquals(0, report.getLong("complaints"));
        assertEquals(1, report.getLong("unsubscribed"));
        assertEquals(2, report.getLong("clicks.human"));
        assertEquals(1, report.getLong("clicks.uniqueHuman"));
        // bob 2, carol 2 (the decoy is a machine click too), dave 2, erin 1
        assertEquals(7, report.getLong("clicks.machine"));
        assertEquals(1, report.getLong("opens.human"));
        assertEquals(1, report.getLong("opens.machine"));
        assertEquals(1.0, report.getDouble("clickToOpen"));
        assertEquals(TrackedCampaign.ARTICLE, report.getString("links[0].url"));
        assertEquals(2, report.getLong("links[0].human"));
        assertEquals(3, report.getLong("links[0].machine"), "bob's HEAD and GET, dave's");
        assertEquals(1, report.getLong("links[0].uniqueHuman"));
        assertEquals(TrackedCampaign.SHOP, report.getString("links[1].url"));
        assertEquals(0, report.getLong("links[1].human"));
        assertEquals(3, report.getLong("links[1].machine"), "carol's, dave's, erin's");
        assertEquals(campaign.domain, report.getString("domains[0].domain"));
        assertEquals(5, report.getLong("domains[0].delivered"));
        assertEquals(0, report.getLong("domains[0].deferred"));
        assertEquals(2, report.getLong("domains[0].humanClicks"));
        assertEquals(48, report.getList("timeline").size());
        assertEquals(5, report.getList("timeline", Map.class).stream()
                .mapToLong(h -> ((Number) h.get("delivered")).longValue()).sum());

        String csv = TrackedCampaign.api().get("/api/campaigns/" + id + "/report/csv").then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        assertTrue(csv.contains("1," + TrackedCampaign.ARTICLE + ",2,3,1"), csv);
        assertTrue(csv.contains(campaign.domain + ",5,0,0,0,2,"), csv);
        TrackedCampaign.api().get("/api/campaigns/999999999/report").then().statusCode(404);
        given().get("/api/campaigns/" + id + "/report").then().statusCode(401);

        // The list's health and engagement segments: only people count.
        long list = campaign.listId;
        TrackedCampaign.api().get("/api/lists/" + list + "/engagement").then().statusCode(200)
                .body("engaged", equalTo(1)).body("atRisk", equalTo(3)).body("dormant", equalTo(0));
        long aliceId = campaign.subscribers.get("alice");
        for (String kind : List.of("clicked", "opened", "engaged")) {
            assertEquals(List.of(aliceId), segment(list, kind + "?n=30"), kind);
        }
        assertEquals(List.of(campaign.subscribers.get("carol"), campaign.subscribers.get("dave"),
                campaign.subscribers.get("erin")), segment(list, "inactive?n=1"), "bob unsubscribed");
        assertEquals(List.of(), segment(list, "inactive?n=2"));
        TrackedCampaign.api().get("/api/lists/" + list + "/engagement/segments/sleepy?n=1").then().statusCode(400);
        TrackedCampaign.api().get("/api/lists/" + list + "/engagement/segments/clicked?n=0").then().statusCode(400);

        // Erasure removes who clicked; the totals, which name nobody, stay.
        // Alice's page lists her own clicks and opens; erasure empties it.
        JsonPath hits = TrackedCampaign.api().get("/api/subscribers/" + aliceId + "/engagement").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(3, hits.getList("$").size());
        assertEquals(List.of(TrackedCampaign.ARTICLE, TrackedCampaign.ARTICLE), hits.getList("findAll { it.kind == 'click' }.url"));
        assertEquals(List.of(true, true, true), hits.getList("human"));
        TrackedCampaign.api().post("/api/subscribers/" + aliceId + "/erase").then().statusCode(204);
        assertEquals(List.of(0L, 0L, 0L), campaign.longs("SELECT (SELECT COUNT(*) FROM engagement_hit WHERE "
                + "subscriber_id = " + aliceId + ") UNION ALL SELECT (SELECT COUNT(*) FROM engagement_recipient WHERE "
                + "subscriber_id = " + aliceId + ") UNION ALL SELECT (SELECT COUNT(*) FROM subscription_engagement "
                + "WHERE subscriber_id = " + aliceId + ")"));
        assertEquals(0, TrackedCampaign.api().get("/api/subscribers/" + aliceId + "/engagement").then()
                .statusCode(200).extract().jsonPath().getList("$").size());
        assertEquals(2, TrackedCampaign.api().get("/api/campaigns/" + id + "/report").then().statusCode(200)
                .extract().jsonPath().getLong("clicks.human"));
    }

    @Test
    void anAggregateListShouldCountWithoutKnowingWhoAndASubscriberWhoRefusesTrackingShouldGetPlainLinks()
            throws Exception {
        campaign = new TrackedCampaign(dataSource, dns, ports).list("aggregate", false, "frank");
        TrackedCampaign.Message frank = campaign.send(delivery).get("frank");
        assertNull(frank.open(), "open tracking is off for this list");
        assertEquals(302, get(frank.links().get(0), BROWSER));
        settleAll();
        long frankId = campaign.subscribers.get("frank");
        assertEquals(List.of(0L), campaign.longs("SELECT COUNT(*) FROM engagement_hit WHERE campaign_id = "
                + campaign.campaignId + " AND (subscriber_id IS NOT NULL OR recipient_key = " + frankId + ")"));
        TrackedCampaign.api().get("/api/campaigns/" + campaign.campaignId + "/report").then().statusCode(200)
                .body("clicks.human", equalTo(1)).body("clicks.uniqueHuman", equalTo(1));

        // Frank unticks tracking in the preference centre; his next message has plain links and no decoy.
        io.restassured.response.Response page = given().get(frank.preferences()).then().statusCode(200).extract()
                .response();
        assertTrue(page.asString().contains("id=\"tracking\""), "the preference centre offers the choice");
        given().cookie("csrf-token", page.cookie("csrf-token"))
                .formParam("csrf-token", page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value"))
                .post(frank.preferences() + "/tracking").then().statusCode(200);
        assertEquals(List.of("tracking_refused"), campaign.strings("SELECT event FROM consent_event WHERE "
                + "subscriber_id = " + frankId + " AND event LIKE 'tracking%'"));
        TrackedCampaign.Message again = campaign.send(delivery).get("frank");
        assertEquals(List.of(), again.links(), "no tracked links");
        assertNull(again.decoy());
        assertTrue(again.html().contains("href=\"" + TrackedCampaign.ARTICLE + "\""), again.html());

        TrackedCampaign off = new TrackedCampaign(dataSource, dns, ports).list("off", true, "gina");
        try {
            TrackedCampaign.Message gina = off.send(delivery).get("gina");
            assertEquals(List.of(), gina.links(), "a list with tracking off: no tracked links");
            assertNull(gina.decoy());
            assertNull(gina.open());
        } finally {
            off.close();
        }
    }

    private static List<Long> segment(long list, String query) {
        return TrackedCampaign.api().get("/api/lists/" + list + "/engagement/segments/" + query).then()
                .statusCode(200).extract().jsonPath().getList("subscriberIds", Long.class);
    }

    private List<String> reasons(String name, int kind) throws Exception {
        return campaign.strings("SELECT reason FROM engagement_hit WHERE campaign_id = " + campaign.campaignId
                + " AND subscriber_id = " + campaign.subscribers.get(name) + " AND kind = " + kind
                + " ORDER BY at, id");
    }
}
