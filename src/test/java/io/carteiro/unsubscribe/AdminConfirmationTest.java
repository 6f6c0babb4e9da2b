package io.carteiro.unsubscribe;

import io.carteiro.web.AdminBrowser;
import io.carteiro.web.Flash;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15.4: people an admin adds to a double opt-in list get the public form's confirmation mail, or start
 * confirmed with the admin's evidence; "resend confirmation"; a campaign says who of its lists it leaves out and why.
 */
@QuarkusTest
class AdminConfirmationTest {

    @Inject
    Fixtures fixtures;

    static RequestSpecification api() {
        return given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                .contentType(ContentType.JSON);
    }

    static long doubleOptInList() {
        return api().body(Map.of("name", "optin " + Fixtures.uniqueEmail("l"), "optIn", "double",
                        "fromEmail", "news@example.org", "consentText", "Send me news."))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static JsonPath add(long list, Map<String, Object> body, int status) {
        return api().body(body).post("/api/lists/" + list + "/subscribers").then().statusCode(status)
                .extract().jsonPath();
    }

    @Test
    void anAddedSubscriberGetsThePublicConfirmationMailAndItsLinkConfirms() {
        long list = doubleOptInList();
        String email = Fixtures.uniqueEmail("added");
        JsonPath added = add(list, Map.of("email", email), 201);
        assertEquals("sent", added.getString("confirmationMail"));
        assertEquals("unconfirmed", added.getString("subscriptions[0].status"));

        String path = confirmPath(email);
        Response page = given().get(path);
        assertEquals(200, page.statusCode());
        SubscribeFlowTest.formPost(page, path, "10.9.0.1").then().statusCode(200)
                .body(containsString("Subscription confirmed"));
        api().get("/api/subscribers/" + added.getLong("id")).then().statusCode(200)
                .body("subscriptions[0].status", equalTo("confirmed"));
    }

    @Test
    void alreadyConfirmedNeedsEvidenceWhichTheConsentLogKeepsAndNoMailGoesOut() {
        long list = doubleOptInList();
        String email = Fixtures.uniqueEmail("paper");
        api().body(Map.of("email", email, "confirmation", "confirmed")).post("/api/lists/" + list + "/subscribers")
                .then().statusCode(400).body("field", equalTo("confirmedEvidence"));
        api().body(Map.of("email", email, "confirmation", "maybe")).post("/api/lists/" + list + "/subscribers")
                .then().statusCode(400).body("field", equalTo("confirmation"));
        api().body(Map.of("email", email, "confirmation", "confirmed", "confirmedEvidence", "x".repeat(501)))
                .post("/api/lists/" + list + "/subscribers").then().statusCode(400)
                .body("error", containsString("confirmedEvidence"));
        assertTrue(fixtures.subscriberId(email).isEmpty(), "a refused add stores nothing");

        JsonPath added = add(list, Map.of("email", email, "confirmation", "confirmed",
                "confirmedEvidence", "signed the paper form at the 2026 fair"), 201);
        assertEquals("confirmed", added.getString("subscriptions[0].status"));
        assertTrue(fixtures.queuedMails(email).isEmpty(), "no confirmation mail for someone already confirmed");
        List<String> details = api().get("/api/subscribers/" + added.getLong("id") + "/events").then()
                .statusCode(200).extract().jsonPath().getList("detail", String.class);
        assertTrue(details.stream().anyMatch(d -> d != null && d.contains("signed the paper form at the 2026 fair")),
                details.toString());
    }

    @Test
    void aListWithoutASenderAddsButSaysNoConfirmationCouldGoAndItsFormTakesNobody() {
        // no From of its own, and the default sender of this profile is noreply@localhost, no public address
        long list = api().body(Map.of("name", "no sender " + Fixtures.uniqueEmail("l"), "optIn", "double",
                        "consentText", "Send me news.", "publicForm", true))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
        String email = Fixtures.uniqueEmail("nosender");
        JsonPath added = add(list, Map.of("email", email), 201);
        assertEquals("no_sender", added.getString("confirmationMail"));
        assertEquals(0, fixtures.queuedMails(email).size());
        String resend = "/api/subscribers/" + added.getLong("id") + "/subscriptions/" + list + "/confirmation";
        api().post(resend).then().statusCode(409).body("error", containsString("fromEmail"));

        String visitor = Fixtures.uniqueEmail("visitor");
        given().header("X-Forwarded-For", "10.9.7.1").formParam("email", visitor).formParam("consent", "yes")
                .post("/subscribe/" + list).then().statusCode(404);
        assertTrue(fixtures.subscriberId(visitor).isEmpty(), "the refused sign-up left nothing behind");

        JsonPath current = api().get("/api/lists/" + list).then().statusCode(200).extract().jsonPath();
        Map<String, Object> update = new java.util.HashMap<>(current.getMap(""));
        update.put("fromEmail", "news@example.org");
        api().body(update).put("/api/lists/" + list).then().statusCode(200);
        api().post(resend).then().statusCode(202);
        assertEquals(1, fixtures.queuedMails(email).size(), "the resend after the fix went out");
    }

    @Test
    void resendIsForUnconfirmedSubscriptionsAndAtMostOncePerInterval() {
        long list = doubleOptInList();
        String email = Fixtures.uniqueEmail("resend");
        long id = add(list, Map.of("email", email, "confirmation", "confirmed", "confirmedEvidence", "phone call"),
                201).getLong("id");
        String resend = "/api/subscribers/" + id + "/subscriptions/" + list + "/confirmation";
        api().post(resend).then().statusCode(409);
        api().body(Map.of("status", "unconfirmed")).put("/api/subscribers/" + id + "/subscriptions/" + list)
                .then().statusCode(200);

        api().post(resend).then().statusCode(202).body("sent", equalTo(true));
        assertEquals(1, fixtures.queuedMails(email).size());
        api().post(resend).then().statusCode(429).body("error", containsString("try again later"));
        assertEquals(1, fixtures.queuedMails(email).size(), "the second resend sent nothing");
        api().post("/api/subscribers/" + id + "/subscriptions/99999999/confirmation").then().statusCode(404);
        api().post("/api/subscribers/abc/subscriptions/" + list + "/confirmation").then().statusCode(404);
    }

    @Test
    void thePagesOfferTheChoiceAndTheResendButton() {
        long list = doubleOptInList();
        String email = Fixtures.uniqueEmail("page");
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/subscribers/new").then().statusCode(200)
                .body(containsString("id=\"confirmation-send\"")).body(containsString("id=\"subscriber-evidence\""));
        admin.post("/admin/subscribers", Map.of("email", email, "listId", list, "confirmation", "confirmed"))
                .then().statusCode(400).body(containsString("say how this person already confirmed"));

        Response added = admin.post("/admin/subscribers", Map.of("email", email, "listId", list,
                "confirmation", "send"));
        assertEquals(303, added.statusCode());
        String location = added.header("Location");
        admin.open(location, added.cookie(Flash.COOKIE)).then().statusCode(200)
                .body(containsString("a confirmation e-mail is on its way"))
                .body(containsString("id=\"subscription-resend-" + list + "\""));
        assertEquals(1, fixtures.queuedMails(email).size());

        Response again = admin.post(location + "/subscriptions/" + list + "/confirmation", Map.of());
        assertEquals(303, again.statusCode());
        admin.open(again.header("Location"), again.cookie(Flash.COOKIE)).then().statusCode(200)
                .body(containsString("went to this address a short while ago"));
        admin.postWithoutToken(location + "/subscriptions/" + list + "/confirmation", Map.of())
                .then().statusCode(400);
    }

    @Test
    void aCampaignSaysWhoOfItsListsItLeavesOutAndWhy() {
        long list = doubleOptInList();
        String waiting = Fixtures.uniqueEmail("waiting");
        long waitingId = add(list, Map.of("email", waiting), 201).getLong("id");
        add(list, Map.of("email", Fixtures.uniqueEmail("ok"), "confirmation", "confirmed",
                "confirmedEvidence", "imported from the old system"), 201);
        long gone = add(list, Map.of("email", Fixtures.uniqueEmail("gone"), "confirmation", "confirmed",
                "confirmedEvidence", "imported from the old system"), 201).getLong("id");
        api().body(Map.of("status", "unsubscribed")).put("/api/subscribers/" + gone + "/subscriptions/" + list)
                .then().statusCode(200);
        long campaign = api().body(Map.of("name", "audience", "subject", "Hi", "listIds", List.of(list),
                        "html", "<p>Hi</p><a href=\"{unsubscribeUrl}\">Unsubscribe</a>"))
                .post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");

        api().get("/api/campaigns/" + campaign).then().statusCode(200)
                .body("audience.members", equalTo(3)).body("audience.mailable", equalTo(1))
                .body("audience.unconfirmed", equalTo(1)).body("audience.unsubscribed", equalTo(1))
                .body("audience.bounced", equalTo(0)).body("audience.blocklisted", equalTo(0));
        AdminBrowser.signIn().open("/admin/campaigns/" + campaign).then().statusCode(200)
                .body(containsString("id=\"audience-mailable\">1<"))
                .body(containsString("id=\"audience-unconfirmed\">1<"))
                .body(containsString("id=\"audience-unsubscribed\">1<"));

        String path = confirmPath(waiting);
        SubscribeFlowTest.formPost(given().get(path), path, "10.9.0.2").then().statusCode(200);
        api().get("/api/campaigns/" + campaign).then().statusCode(200)
                .body("audience.mailable", equalTo(2)).body("audience.unconfirmed", equalTo(0));
        assertTrue(waitingId > 0);
    }

    private String confirmPath(String email) {
        List<Fixtures.QueuedMail> mails = fixtures.queuedMails(email);
        assertEquals(1, mails.size(), "one confirmation mail queued for " + email);
        Matcher m = SubscribeFlowTest.CONFIRM_LINK.matcher(mails.get(0).text());
        assertTrue(m.find(), mails.get(0).text());
        return m.group(1);
    }
}
