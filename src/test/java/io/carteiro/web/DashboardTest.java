package io.carteiro.web;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The landing page shows each feature's totals, counted by the features themselves, and they follow what users do. */
@QuarkusTest
class DashboardTest {

    static final String ADMIN = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";

    String session;

    static RequestSpecification api() {
        return given().auth().preemptive().basic(ADMIN, PASSWORD).contentType(ContentType.JSON);
    }

    @BeforeEach
    void signIn() {
        session = given().redirects().follow(false).header("X-Forwarded-For", "10.9.7.1")
                .formParam("j_username", ADMIN).formParam("j_password", PASSWORD)
                .post("/j_security_check").then().statusCode(302).extract().cookie("carteiro-session");
    }

    String dashboard() {
        return given().cookie("carteiro-session", session).redirects().follow(false).get("/admin")
                .then().statusCode(200).extract().asString();
    }

    static long number(String page, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(page);
        assertTrue(m.find(), "no '" + pattern + "' on the dashboard:\n" + page);
        return Long.parseLong(m.group(1));
    }

    @Test
    void theTotalsOfEachFeatureAppearInOrderAndFollowNewListsAndSubscribers() {
        String before = dashboard();
        List<String> links = List.of("/admin/lists", "/admin/subscribers", "/admin/campaigns", "/admin/bounces");
        int last = -1;
        for (String link : links) {
            int at = before.indexOf("<a href=\"" + link + "\">");
            assertTrue(at > last, link + " missing or out of order:\n" + before);
            last = at;
        }
        number(before, "(\\d+) bounces? in the last 7 days");

        long list = api().body(Map.of("name", "dashboard " + UUID.randomUUID(), "optIn", "single"))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
        api().body(Map.of("email", "dash-" + UUID.randomUUID() + "@example.org"))
                .post("/api/lists/" + list + "/subscribers").then().statusCode(201);
        String after = dashboard();

        // Lists and subscribers only grow while this test runs; campaign counts move with the scheduler.
        assertEquals(number(before, "(\\d+) lists?<") + 1, number(after, "(\\d+) lists?<"));
        assertEquals(number(before, "(\\d+) subscribers?<") + 1, number(after, "(\\d+) subscribers?<"));
        number(after, "(\\d+) campaigns? sending or paused, \\d+ scheduled");
    }

    /** Today's bar of one chart of the dashboard (its figure's id), as its SVG title says it: "2026-12-02: 7". */
    static long today(String page, String chart) {
        int at = page.indexOf("id=\"" + chart + "\"");
        assertTrue(at >= 0, "no chart " + chart + " on the dashboard:\n" + page);
        String figure = page.substring(at, page.indexOf("</figure>", at));
        String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        return number(figure, Pattern.quote(day) + ": (\\d+)</title>");
    }

    @Test
    void theChartsCountTodaysNewSubscriptionsAndUnsubscribes() {
        String before = dashboard();
        assertTrue(before.contains("Messages queued to send") && before.contains("Messages delivered")
                && before.contains("Bounces (hard and soft)") && before.contains("Complaints"), before);

        long list = api().body(Map.of("name", "charts " + UUID.randomUUID(), "optIn", "single"))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
        long subscriber = api().body(Map.of("email", "chart-" + UUID.randomUUID() + "@example.org"))
                .post("/api/lists/" + list + "/subscribers").then().statusCode(201).extract().jsonPath().getLong("id");
        String added = dashboard();
        // list growth: running subscriptions at the end of today; other tests only add while this one runs
        assertTrue(today(added, "chart-60") >= today(before, "chart-60") + 1, added);

        api().body(Map.of("status", "unsubscribed")).put("/api/subscribers/" + subscriber + "/subscriptions/" + list)
                .then().statusCode(200);
        String after = dashboard();
        assertTrue(today(after, "chart-50") >= today(added, "chart-50") + 1, "today's unsubscribes:\n" + after);
    }

    @Test
    void theRootAddressLeadsToTheAdminAndASignedOutVisitorOnToSignIn() {
        given().redirects().follow(false).get("/").then().statusCode(302).header("Location", "/admin");
        given().redirects().follow(false).get("/admin").then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.containsString("/login"));
    }
}
