package io.carteiro.lists;

import io.carteiro.web.AdminBrowser;
import io.carteiro.web.Flash;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ListPagesTest {

    @Test
    void anonymousVisitorsAreSentToSignIn() {
        given().redirects().follow(false).get("/admin/lists").then().statusCode(302)
                .header("Location", containsString("/login"));
    }

    @Test
    void createThroughTheFormShowsAFlashAndTheConsentVersion() {
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/lists/new").then().statusCode(200).body(containsString("id=\"list-name\""))
                .body(containsString("for=\"list-name\""));
        String name = "Page list " + UUID.randomUUID();

        Response created = admin.post("/admin/lists", Map.of("name", name, "optIn", "single",
                "fromEmail", "news@example.org", "consentText", "Yes, send me news."));

        assertEquals(303, created.statusCode());
        String location = created.header("Location");
        assertTrue(location.matches(".*/admin/lists/\\d+"), location);
        admin.open(location, created.cookie(Flash.COOKIE)).then().statusCode(200)
                .body(containsString("created")).body(containsString("version 1"))
                .body(containsString("/imports/new"));
        admin.open("/admin/lists").then().statusCode(200).body(containsString(name));
    }

    @Test
    void editingTheConsentTextShowsTheNewVersion() {
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/lists/new");
        String path = admin.post("/admin/lists", Map.of("name", "Versioned " + UUID.randomUUID(), "optIn", "double",
                "consentText", "First words.")).header("Location");
        admin.open(path);

        Response saved = admin.post(path, Map.of("name", "Versioned again", "optIn", "double",
                "consentText", "Second words."));

        assertEquals(303, saved.statusCode());
        admin.open(path, saved.cookie(Flash.COOKIE)).then().statusCode(200)
                .body(containsString("now version 2")).body(containsString("Second words."));
    }

    @Test
    void aFormWithoutTheCsrfTokenIsRefused() {
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/lists/new");
        admin.postWithoutToken("/admin/lists", Map.of("name", "No token", "optIn", "single"))
                .then().statusCode(400);
    }

    @Test
    void invalidFieldsComeBackWithTheirErrors() {
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/lists/new");
        admin.post("/admin/lists", Map.of("name", "", "optIn", "single", "fromEmail", "not-an-address"))
                .then().statusCode(400).body(containsString("Name is required"))
                .body(containsString("“From address” is not an e-mail address"))
                .body(org.hamcrest.Matchers.not(containsString("fromEmail is")));
    }

    @Test
    void deletingAsksForConfirmationFirst() {
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/lists/new");
        String name = "Doomed " + UUID.randomUUID();
        String path = admin.post("/admin/lists", Map.of("name", name, "optIn", "single")).header("Location");

        admin.open(path + "/delete").then().statusCode(200).body(containsString("Delete list"))
                .body(containsString("consent history"));
        Response deleted = admin.post(path + "/delete", Map.of());

        assertEquals(303, deleted.statusCode());
        admin.open("/admin/lists", deleted.cookie(Flash.COOKIE)).then().statusCode(200)
                .body(containsString("deleted")).body(not(containsString("href=\"" + path + "\"")));
    }
}
