package io.carteiro.unsubscribe;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class PreferenceCentreTest {

    @Inject
    Fixtures fixtures;

    @Inject
    SignedLinks links;

    @Inject
    io.carteiro.subscribers.Suppressions suppressions;

    String path(long subscriberId) {
        return links.preferencesUrl(subscriberId).substring("http://localhost:8080".length());
    }

    @Test
    void pageShouldListSubscriptionsAndPublicLists() {
        long mine = fixtures.list("Mine", "double", false, null);
        long open = fixtures.list("Open", "double", true, null);
        long id = fixtures.subscriber(Fixtures.uniqueEmail("prefs"), mine, "confirmed");
        given().get(path(id)).then().statusCode(200)
                .body(containsString("id=\"list-" + mine + "\" name=\"list\" value=\"" + mine + "\" checked"))
                .body(containsString("id=\"list-" + open + "\""));
    }

    @Test
    void savingListsShouldJoinTickedAndLeaveUntickedWithEvents() {
        long keep = fixtures.list("Keep", "double", false, null);
        long leave = fixtures.list("Leave", "double", false, null);
        long join = fixtures.list("Join", "double", true, null);
        String email = Fixtures.uniqueEmail("choose");
        long id = fixtures.subscriber(email, keep, "confirmed");
        fixtures.subscriber(email, leave, "confirmed");
        String p = path(id);
        Response page = given().get(p);
        given().cookie("csrf-token", page.cookie("csrf-token")).header("X-Forwarded-For", "10.3.1.1")
                .formParam("csrf-token", csrf(page)).formParam("list", keep).formParam("list", join)
                .post(p + "/lists").then().statusCode(200).body(containsString("Saved."));
        assertEquals("confirmed", fixtures.status(keep, id));
        assertEquals("unsubscribed", fixtures.status(leave, id));
        assertEquals("confirmed", fixtures.status(join, id));
        assertEquals("preferences", fixtures.subscription(leave, id, "unsubscribe_method").get(0));
        List<String> events = fixtures.events(id);
        assertTrue(events.contains("unsubscribed preferences"), events.toString());
        assertTrue(events.contains("subscribed preference centre"), events.toString());
    }

    @Test
    void renameAndUnsubscribeAllShouldApplyAndBeLogged() {
        long a = fixtures.list("A", "double", false, null);
        long b = fixtures.list("B", "single", false, null);
        String email = Fixtures.uniqueEmail("all");
        long id = fixtures.subscriber(email, a, "confirmed");
        fixtures.subscriber(email, b, "unconfirmed");
        String p = path(id);
        Response page = given().get(p);
        given().cookie("csrf-token", page.cookie("csrf-token")).formParam("csrf-token", csrf(page))
                .formParam("name", "Joana Silva").post(p + "/name").then().statusCode(200)
                .body(containsString("value=\"Joana Silva\""));
        given().cookie("csrf-token", page.cookie("csrf-token")).formParam("csrf-token", csrf(page))
                .post(p + "/unsubscribe-all").then().statusCode(200);
        assertEquals("unsubscribed", fixtures.status(a, id));
        assertEquals("unsubscribed", fixtures.status(b, id));
        assertEquals(3, fixtures.events(id).size());
    }

    @Test
    void formsWithoutTheCsrfTokenShouldBeRefused() {
        long a = fixtures.list("Csrf", "double", false, null);
        long id = fixtures.subscriber(Fixtures.uniqueEmail("csrfp"), a, "confirmed");
        given().formParam("name", "Mallory").post(path(id) + "/name").then().statusCode(400);
        given().post(path(id) + "/unsubscribe-all").then().statusCode(400);
        assertEquals("confirmed", fixtures.status(a, id));
    }

    @Test
    void dataDownloadShouldHoldSubscriptionsAndConsentHistory() {
        long a = fixtures.list("Data", "double", false, null);
        String email = Fixtures.uniqueEmail("data");
        long id = fixtures.subscriber(email, a, "confirmed");
        given().formParam("List-Unsubscribe", "One-Click")
                .post(links.unsubscribeUrl(id, a, null).substring("http://localhost:8080".length()))
                .then().statusCode(200);
        given().get(path(id) + "/data").then().statusCode(403).body(not(containsString(email)));
        Response page = given().get(path(id));
        given().cookie("csrf-token", page.cookie("csrf-token")).formParam("csrf-token", csrf(page))
                .post(path(id) + "/data").then().statusCode(200)
                .body(containsString("A download link is on its way to " + email));
        JsonPath json = given().get(mailedLink(fixtures, email, "/data")).then().statusCode(200)
                .header("Content-Disposition", containsString("attachment")).extract().jsonPath();
        assertEquals(email, json.getString("email"));
        assertEquals("unsubscribed", json.getString("subscriptions[0].status"));
        assertEquals("unsubscribed", json.getString("consentEvents[0].event"));
        given().get("/p/bad.token.here/data").then().statusCode(404).body(containsString("error"));
    }

    @Test
    void erasureShouldNeedTheTickAndThenLeaveOnlyTheSaltedHash() {
        long a = fixtures.list("Erase", "double", false, null);
        String email = Fixtures.uniqueEmail("Erase.Me");
        long id = fixtures.subscriber(email, a, "confirmed");
        String p = path(id);
        Response page = given().get(p);
        given().cookie("csrf-token", page.cookie("csrf-token")).formParam("csrf-token", csrf(page))
                .post(p + "/erase").then().statusCode(400).body(containsString("Tick the box"));
        assertTrue(fixtures.subscriberId(email).isPresent());
        eraseThroughTheMailedLink(fixtures, p, email).then().statusCode(200)
                .body(containsString("Your data is erased"));
        assertTrue(fixtures.subscriberId(email).isEmpty());
        assertEquals(0, fixtures.count("select count(*) from consent_event where subscriber_id = :p", id));
        String hash = suppressions.erasureHash(email.toLowerCase());
        assertTrue(hash.matches("[0-9a-f]{64}"), hash);
        assertEquals(1, fixtures.count("select count(*) from suppression where kind = 'erased' and value = :p", hash));
        assertEquals(1, fixtures.count("select count(*) from app_setting where name = :p", "erasure.salt"));
        given().get(p).then().statusCode(404);
    }

    @Test
    void erasedAddressShouldNotBeSignedUpAgainByTheForm() {
        long list = fixtures.list("AfterErase", "single", true, null);
        String email = Fixtures.uniqueEmail("gone");
        long id = fixtures.subscriber(email, list, "confirmed");
        eraseThroughTheMailedLink(fixtures, path(id), email).then().statusCode(200);
        SubscribeFlowTest.post(list, email, "10.3.7.1", true).then().statusCode(200)
                .body(containsString("You are subscribed"));
        assertTrue(fixtures.subscriberId(email).isEmpty());
    }

    static String csrf(Response page) {
        return page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
    }

    /** Erases as the subscriber does: asks on the preference page, then confirms on the page of the mailed link. */
    static Response eraseThroughTheMailedLink(Fixtures fixtures, String preferencesPath, String email) {
        Response page = given().get(preferencesPath);
        given().cookie("csrf-token", page.cookie("csrf-token")).formParam("csrf-token", csrf(page))
                .formParam("confirm", "yes").post(preferencesPath + "/erase").then().statusCode(200)
                .body(containsString("A link to confirm the erasure is on its way to " + email));
        String link = mailedLink(fixtures, email, "/erase");
        Response confirm = given().get(link);
        confirm.then().statusCode(200).body(containsString("This cannot be undone"));
        return given().cookie("csrf-token", confirm.cookie("csrf-token")).formParam("csrf-token", csrf(confirm))
                .post(link);
    }

    /** The path of the newest link ending in {@code suffix} in the mails queued for this address. */
    static String mailedLink(Fixtures fixtures, String email, String suffix) {
        List<Fixtures.QueuedMail> mails = fixtures.queuedMails(email);
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("http://localhost:8080(/p/[A-Za-z0-9_.-]+"
                + java.util.regex.Pattern.quote(suffix) + ")").matcher(mails.isEmpty() ? ""
                : mails.get(mails.size() - 1).text());
        assertTrue(link.find(), "no " + suffix + " link mailed to " + email + ": " + mails);
        return link.group(1);
    }
}
