package io.carteiro.lists;

import io.carteiro.support.Browser;
import io.carteiro.support.Screenshots;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15.1 and 15.3 as a list owner and a visitor meet them: the public sign-up switch in the list JSON and on the
 * list form, the page of public lists, a sign-up through it, and the export buttons of a list and of a search.
 */
@QuarkusTest
class PublicFormAndExportBrowserTest {

    static final String ADMIN = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";

    @TestHTTPResource("/")
    URL base;

    static RequestSpecification api() {
        return given().auth().preemptive().basic(ADMIN, PASSWORD).contentType(ContentType.JSON);
    }

    @Test
    void publicFormIsOffByDefaultAndAPutWithoutItLeavesItAsItWas() {
        String name = "Switch " + UUID.randomUUID();
        long id = api().body(Map.of("name", name)).post("/api/lists").then().statusCode(201)
                .body("publicForm", equalTo(false)).extract().jsonPath().getLong("id");
        given().get("/subscribe/" + id).then().statusCode(404);

        api().body(Map.of("name", name, "publicForm", true)).put("/api/lists/" + id).then().statusCode(200)
                .body("publicForm", equalTo(true));
        given().get("/subscribe/" + id).then().statusCode(200).body(containsString(name));
        api().body(Map.of("name", name + " renamed")).put("/api/lists/" + id).then().statusCode(200)
                .body("publicForm", equalTo(true));
        api().get("/api/lists/" + id).then().statusCode(200).body("publicForm", equalTo(true));

        api().body(Map.of("name", name, "publicForm", "perhaps")).put("/api/lists/" + id).then().statusCode(400)
                .body(containsString("publicForm"));
        api().body(Map.of("name", name, "publicForm", false)).put("/api/lists/" + id).then().statusCode(200)
                .body("publicForm", equalTo(false));
        given().get("/subscribe/" + id).then().statusCode(404);
        given().get("/subscribe").then().statusCode(200).body(not(containsString(name)));
    }

    /** Hostile or stale filters on the export links go back to the search page with the reason, never a 5xx. */
    @Test
    void exportLinksRefuseUnknownFiltersInTheFormsWords() {
        io.carteiro.web.AdminBrowser admin = io.carteiro.web.AdminBrowser.signIn();
        Map<String, String> refusals = Map.of(
                "/admin/subscribers/export?status=%27%3Bdrop", "Choose a status from the search form.",
                "/admin/subscribers/export?listId=abc", "Choose a list from the search form.",
                "/admin/subscribers/export?listId=999999999", "That list no longer exists.",
                "/admin/subscribers/export?attr=nocolon", "Write the attribute as key:value",
                "/admin/lists/999999999/export", "That list no longer exists.");
        refusals.forEach((path, words) -> {
            io.restassured.response.Response answer = admin.open(path);
            assertEquals(303, answer.statusCode(), path);
            admin.open(answer.header("Location"), answer.cookie(io.carteiro.web.Flash.COOKIE)).then()
                    .statusCode(200).body(containsString(words));
        });
        given().redirects().follow(false).get("/admin/lists/1/export").then().statusCode(302)
                .header("Location", containsString("/login"));
    }

    @Test
    void ownerSwitchesTheFormOnAVisitorSubscribesFromThePublicListsAndTheOwnerExportsListAndSearch()
            throws Exception {
        String listName = "Open list " + UUID.randomUUID();
        String hidden = "Closed list " + UUID.randomUUID();
        api().body(Map.of("name", hidden)).post("/api/lists").then().statusCode(201);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String visitor = "visitor." + tag + "@example.org";
        try (Browser browser = Browser.open(base.toString().replaceAll("/$", ""))) {
            browser.signIn(ADMIN, PASSWORD);
            browser.go("/admin/lists/new").type(By.id("list-name"), listName).click(By.id("list-opt-in-single"));
            assertFalse(browser.find(By.id("list-public-form")).isSelected());
            browser.click(By.id("list-public-form")).click(By.id("list-save"));
            browser.waitFor(d -> d.getCurrentUrl().matches(".*/admin/lists/\\d+$"));
            String listId = browser.driver().getCurrentUrl().replaceAll(".*/admin/lists/", "");
            assertTrue(browser.find(By.id("list-public-form")).isSelected());
            Screenshots.take(browser, "list-form");
            browser.click(By.id("sign-up-form"));
            assertTrue(browser.pageText().contains("/subscribe/" + listId), browser.pageText());
            assertFalse(browser.pageText().contains("has no public form"), browser.pageText());

            browser.driver().manage().deleteAllCookies();
            browser.go("/subscribe");
            String page = browser.pageText();
            assertTrue(page.contains(listName), page);
            assertFalse(page.contains(hidden), page);
            Screenshots.take(browser, "public-lists");
            browser.click(By.linkText(listName));
            browser.type(By.id("email"), visitor).click(By.id("consent"))
                    .click(By.cssSelector("form button[type=submit]"));
            browser.waitFor(d -> d.findElement(By.tagName("body")).getText().contains("You are subscribed"));
            api().get("/api/subscribers?q=" + visitor).then().statusCode(200)
                    .body(containsString(visitor));

            api().body(Map.of("email", "other." + tag + "@example.org", "name", "Zed " + tag))
                    .post("/api/lists/" + listId + "/subscribers").then().statusCode(201);
            browser.signIn(ADMIN, PASSWORD);
            browser.go("/admin/lists/" + listId);
            String listCsv = download(browser, browser.find(By.id("export-list")).getAttribute("href"));
            assertTrue(listCsv.startsWith("email,name,status,subscription_status,subscribed_at"), listCsv);
            assertTrue(listCsv.contains(visitor) && listCsv.contains("other." + tag), listCsv);

            browser.go("/admin/subscribers?listId=" + listId + "&q=visitor." + tag);
            String found = download(browser, browser.find(By.id("export-results")).getAttribute("href"));
            List<String> lines = found.strip().lines().toList();
            assertEquals(2, lines.size(), found);
            assertTrue(lines.get(1).startsWith(visitor + ","), found);
            Screenshots.take(browser, "subscriber-search");
        }
    }

    /** What the export button's link answers in this signed-in browser (its cookies, not HTTP Basic). */
    private static String download(Browser browser, String href) {
        Object text = ((JavascriptExecutor) browser.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'})"
                        + ".then(r => r.ok ? r.text() : 'HTTP ' + r.status).then(done, e => done('error ' + e));",
                href);
        return String.valueOf(text);
    }
}
