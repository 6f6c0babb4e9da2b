package io.carteiro.subscribers;

import io.agroal.api.AgroalDataSource;
import io.carteiro.support.Visitors;
import io.carteiro.unsubscribe.SignedLinks;
import io.carteiro.web.AdminBrowser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static io.carteiro.support.Visitors.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 12.10: CR, LF, NUL, other C0 and C1 controls, line separators and bidi overrides in a name are refused with
 * the reason on every path that stores one — the public form, the preference centre, the admin page, the API and a
 * CSV import — by the same rule, and nothing is stored from the refused request.
 */
@QuarkusTest
class ControlCharactersInNamesTest {

    static final List<String> HOSTILE = List.of("Ana\r\nX-Injected: yes", "Ana\u0000Bcc", "Ana\u000bVT",
            "Ana\u000cFF", "Ana\tTab", "Ana\u0085Next line", "Ana\u2028Separator", "\u202Egnp.exe", "Ana\u2066x");

    /** Forms go out as browsers send them, in UTF-8 (RestAssured's default is ISO-8859-1, which has no U+2028). */
    static RestAssuredConfig previous;

    @BeforeAll
    static void utf8Forms() {
        previous = RestAssured.config;
        RestAssured.config = RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                .defaultContentCharset(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void restore() {
        RestAssured.config = previous;
    }

    @Inject
    AgroalDataSource db;

    @Inject
    SignedLinks links;

    @Test
    void thePublicFormRefusesTheNameAndStoresNothing() {
        long list = Visitors.publicList(db, "Controls form", "double");
        for (String name : HOSTILE) {
            String email = "form-" + Visitors.unique() + "@example.org";
            Visitors.signUp(list, email, name).then().statusCode(400)
                    .body(containsString("The name may not hold line breaks, tabs or invisible control characters."));
            api().queryParam("email", email).get("/api/subscribers").then().statusCode(200).body("size()", equalTo(0));
            assertEquals(List.of(), Visitors.queuedMails(db, email), "no confirmation mail for a refused form");
        }
        Visitors.signUp(list, "plain-" + Visitors.unique() + "@example.org", "  Zoë Ångström-Núñez  ")
                .then().statusCode(200);
    }

    @Test
    void thePreferenceCentreRefusesTheNameAndKeepsTheOldOne() {
        long list = Visitors.publicList(db, "Controls prefs", "single");
        String email = "prefs-" + Visitors.unique() + "@example.org";
        Visitors.signUp(list, email, "Joana").then().statusCode(200);
        long id = Visitors.subscriberId(email);
        String prefs = links.preferencesUrl(id).substring("http://localhost:8080".length());
        Response page = given().get(prefs);
        String csrf = page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        for (String name : HOSTILE) {
            given().cookie("csrf-token", page.cookie("csrf-token")).formParam("csrf-token", csrf)
                    .formParam("name", name).post(prefs + "/name").then().statusCode(400)
                    .body(containsString("may not hold line breaks"));
        }
        api().get("/api/subscribers/" + id).then().statusCode(200).body("name", equalTo("Joana"));
    }

    @Test
    void theApiAndTheAdminPageRefuseTheNameNamingTheField() {
        long list = Visitors.publicList(db, "Controls api", "single");
        AdminBrowser admin = AdminBrowser.signIn();
        for (String name : HOSTILE) {
            String email = "api-" + Visitors.unique() + "@example.org";
            api().contentType("application/json").body(Map.of("email", email, "name", name))
                    .post("/api/lists/" + list + "/subscribers").then().statusCode(400)
                    .body("field", equalTo("name")).body("error", containsString("name holds"));
            admin.open("/admin/subscribers/new?listId=" + list);
            admin.post("/admin/subscribers", Map.of("email", email, "name", name, "listId", list))
                    .then().statusCode(400).body(containsString("name holds"));
            api().queryParam("email", email).get("/api/subscribers").then().body("size()", equalTo(0));
        }
        long id = api().contentType("application/json").body(Map.of("email", "kept-" + Visitors.unique()
                + "@example.org", "name", "Kept")).post("/api/lists/" + list + "/subscribers").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        api().contentType("application/json").body(Map.of("email", "kept-edit-" + Visitors.unique()
                + "@example.org", "name", "Bad\u0007Bell")).put("/api/subscribers/" + id).then().statusCode(400)
                .body("field", equalTo("name"));
        api().get("/api/subscribers/" + id).then().body("name", equalTo("Kept"));
    }

    @Test
    void anImportReportsTheRowAndStoresTheOthers() {
        long list = Visitors.publicList(db, "Controls import", "single");
        String tag = Visitors.unique();
        String csv = "email,name\n"
                + "good-" + tag + "@example.org,Good Name\n"
                + "bell-" + tag + "@example.org,Bad\u0007Bell\n"
                + "bidi-" + tag + "@example.org,\u202Egnp.exe\n"
                + "nul-" + tag + "@example.org,\"Null\u0000Byte\"\n";
        long job = api().contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .queryParam("legalBasis", "consent collected at the test fair")
                .post("/api/lists/" + list + "/imports").then().statusCode(202).extract().jsonPath().getLong("id");
        JsonPath done = awaitEnd(job);
        assertEquals(1, done.getInt("rowsAdded"), done.prettify());
        assertEquals(3, done.getInt("rowsFailed"), done.prettify());
        assertEquals(List.of("name", "name", "name"), done.getList("errors.column"), done.prettify());
        for (String bad : List.of("bell-", "bidi-", "nul-")) {
            api().queryParam("email", bad + tag + "@example.org").get("/api/subscribers").then()
                    .body("size()", equalTo(0));
        }
    }

    static JsonPath awaitEnd(long importId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            JsonPath job = api().get("/api/imports/" + importId).then().statusCode(200).extract().jsonPath();
            if (List.of("done", "failed").contains(job.getString("state"))) {
                return job;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // poll interval, not a wait for an event
        }
        fail("import " + importId + " did not end");
        return null;
    }
}
