package io.carteiro.subscribers;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One suppression gate with one meaning at every door: a suppressed domain covers all its subdomains, however many
 * labels they have, for an address added through the API, a CSV import and the recipients a campaign queues. All
 * through the API, as a list owner would.
 */
@QuarkusTest
class SuppressionGateTest {

    static RequestSpecification api() {
        return given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                .contentType(ContentType.JSON);
    }

    /** A six-label domain, unique to the test run: {@code a.b.c.<tag>.example.org}. */
    static String sixLabelDomain() {
        return "a.b.c." + TestData.unique("gate").replaceAll("[^a-z0-9]", "") + ".example.org";
    }

    static long singleOptInList() {
        return api().body(Map.of("name", TestData.unique("gate list"), "optIn", "single",
                        "fromEmail", "news@sender.test"))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static long addSubscriber(long list, String email) {
        return api().body(Map.of("email", email)).post("/api/lists/" + list + "/subscribers")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static void suppressDomain(String domain) {
        api().body(Map.of("kind", "domain", "value", domain)).post("/api/suppressions").then().statusCode(201);
    }

    @Test
    void theApiRefusesAnAddressUnderASuppressedSixLabelParentDomain() {
        String parent = sixLabelDomain();
        suppressDomain(parent);
        long list = singleOptInList();

        api().body(Map.of("email", "ana@mail.eu." + parent)).post("/api/lists/" + list + "/subscribers")
                .then().statusCode(422).body("error", containsString(parent));
        addSubscriber(list, "ana@elsewhere." + parent.substring(parent.indexOf('.') + 1)); // a sibling is fine
    }

    @Test
    void anImportSkipsAnAddressUnderASuppressedSixLabelParentDomain() {
        String parent = sixLabelDomain();
        suppressDomain(parent);
        long list = singleOptInList();
        String csv = "email\nbea@mail.eu." + parent + "\ncai@" + parent.substring(parent.indexOf('.') + 1) + "\n";

        long job = given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                .contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .queryParam("legalBasis", "consent at the fair")
                .post("/api/lists/" + list + "/imports").then().statusCode(202).extract().jsonPath().getLong("id");
        JsonPath done = awaitImport(job);

        assertEquals("done", done.getString("state"), done.prettify());
        assertEquals(1, done.getInt("rowsAdded"), done.prettify());
        assertEquals(1, done.getInt("rowsSkipped"), done.prettify());
        assertTrue(done.prettify().contains("suppressed: bea@mail.eu." + parent), done.prettify());
        api().get("/api/subscribers?email=bea@mail.eu." + parent).then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void aCampaignDoesNotQueueASubscriberWhoseSixLabelParentDomainWasSuppressedAfterSigningUp() {
        String parent = sixLabelDomain();
        long list = singleOptInList();
        long deep = addSubscriber(list, "dee@mx.eu." + parent); // 8 labels, under the 6-label parent
        long sibling = addSubscriber(list, "sib@" + parent.substring(parent.indexOf('.') + 1));
        suppressDomain(parent);

        long campaign = api().body(Map.of("name", TestData.unique("gate campaign"), "subject", "News",
                        "fromEmail", "news@sender.test", "listIds", List.of(list),
                        "html", "<p>Hi</p><p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>"))
                .post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
        api().body(Map.of()).post("/api/campaigns/" + campaign + "/schedule").then().statusCode(200);
        JsonPath started = awaitQueued(campaign);

        assertEquals(1, started.getLong("queued"), started.prettify());
        List<String> recipients = api().get("/api/campaigns/" + campaign + "/log").then().statusCode(200)
                .extract().jsonPath().getList("recipient", String.class);
        assertEquals(List.of("sib@" + parent.substring(parent.indexOf('.') + 1)), recipients,
                "subscriber " + deep + " is under the suppressed domain; " + sibling + " is not");
    }

    private static JsonPath awaitImport(long job) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            JsonPath state = api().get("/api/imports/" + job).then().statusCode(200).extract().jsonPath();
            if (List.of("done", "failed").contains(state.getString("state"))) {
                return state;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // poll interval, not a wait for an event
        }
        fail("import " + job + " did not end");
        return null;
    }

    private static JsonPath awaitQueued(long campaign) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            JsonPath state = api().get("/api/campaigns/" + campaign).then().statusCode(200).extract().jsonPath();
            if (!"scheduled".equals(state.getString("status")) && !state.getBoolean("queueing")) {
                return state;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // poll interval, not a wait for an event
        }
        fail("campaign " + campaign + " was not queued");
        return null;
    }
}
