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
}
