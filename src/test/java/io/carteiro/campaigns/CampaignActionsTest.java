package io.carteiro.campaigns;

import io.carteiro.web.AdminBrowser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15.5 and 15.6: a misspelt name is refused at save (page and API) with line and column; duplicate, delete
 * (drafts only) and archive; the preview chooses a subscriber by e-mail address.
 */
@QuarkusTest
class CampaignActionsTest {

    static final String FOOTER = "<a href=\"{unsubscribeUrl}\">Unsubscribe</a>";

    static RequestSpecification api() {
        return given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                .contentType(ContentType.JSON);
    }

    static String unique(String what) {
        return what + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    static long list() {
        return api().body(Map.of("name", unique("actions"), "optIn", "single", "fromEmail", "news@example.org"))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static Map<String, Object> campaign(long list, String html) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", unique("campaign"));
        body.put("subject", "News");
        body.put("fromEmail", "news@example.org");
        body.put("listIds", List.of(list));
        body.put("html", html);
        return body;
    }

    @Test
    void aMisspeltNameIsRefusedByTheApiWith422NamingTheExpressionLineAndColumn() {
        long list = list();
        api().body(campaign(list, "<p>Hi</p>\n<p>Dear {subscriber.nmae},</p>\n" + FOOTER)).post("/api/campaigns")
                .then().statusCode(422).body("field", equalTo("html")).body("expression", equalTo("subscriber.nmae"))
                .body("line", equalTo(2)).body("column", equalTo(9))
                .body("error", containsString("subscriber.name"));
        Map<String, Object> subject = campaign(list, "<p>Hi</p>" + FOOTER);
        subject.put("subject", "News for {frist_name}");
        api().body(subject).post("/api/campaigns").then().statusCode(422).body("field", equalTo("subject"))
                .body("expression", equalTo("frist_name"));
        long id = api().body(campaign(list, "<p>Hi {subscriber.name ?: 'friend'}</p>" + FOOTER))
                .post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
        api().body(campaign(list, "<p>{list.nmae}</p>" + FOOTER)).put("/api/campaigns/" + id).then()
                .statusCode(422).body("expression", equalTo("list.nmae"));
    }

    @Test
    void theComposePageListsTheNamesAndRefusesAMisspeltOneInItsWords() {
        long list = list();
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/campaigns/new").then().statusCode(200)
                .body(containsString("id=\"template-names\"")).body(containsString("<code>subscriber.name</code>"))
                .body(containsString("<code>unsubscribeUrl</code>"));
        String name = unique("typo");
        admin.post("/admin/campaigns/new", Map.of("name", name, "subject", "Hi", "listIds", list,
                        "timeZone", "UTC", "html", "<p>Hello</p>\n<p>{subscriber.nmae}</p>\n" + FOOTER))
                .then().statusCode(422).body(containsString("id=\"template-error\""))
                .body(containsString("<span id=\"template-error-line\">2</span>"))
                .body(containsString("<span id=\"template-error-column\">4</span>"))
                .body(containsString("value=\"" + name + "\""));
        api().get("/api/campaigns").then().statusCode(200).body("name", not(org.hamcrest.Matchers.hasItem(name)));
        // Issue 15.7: the page names the label it shows; the API (above) keeps the field's name.
        admin.post("/admin/campaigns/new", Map.of("name", name, "subject", "Hi", "listIds", list,
                        "timeZone", "UTC", "fromEmail", "not-an-address", "html", "<p>Hello</p>" + FOOTER))
                .then().statusCode(400).body(containsString("“From address” &#39;not-an-address&#39;"))
                .body(not(containsString("fromEmail &#39;")));
        Map<String, Object> bad = campaign(list, "<p>Hello</p>" + FOOTER);
        bad.put("fromEmail", "not-an-address");
        api().body(bad).post("/api/campaigns").then().statusCode(400).body("error", containsString("fromEmail"));
    }

    @Test
    void duplicateCopiesADraftAndOnlyDraftsCanBeDeletedAndOnlyEndedOnesArchived() {
        long list = list();
        Map<String, Object> body = campaign(list, "<p>Hi</p>" + FOOTER);
        long id = api().body(body).post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");

        long copy = api().post("/api/campaigns/" + id + "/duplicate").then().statusCode(201)
                .body("name", equalTo("Copy of " + body.get("name"))).body("status", equalTo("draft"))
                .body("listIds[0]", equalTo((int) list)).extract().jsonPath().getLong("id");
        assertNotEquals(id, copy);
        api().post("/api/campaigns/" + id + "/archive").then().statusCode(409)
                .body("error", containsString("finished or cancelled"));
        api().delete("/api/campaigns/" + copy).then().statusCode(204);
        api().get("/api/campaigns/" + copy).then().statusCode(404);
        api().delete("/api/campaigns/" + copy).then().statusCode(404);

        api().post("/api/campaigns/" + id + "/cancel").then().statusCode(200);
        api().delete("/api/campaigns/" + id).then().statusCode(409).body("error", containsString("only a draft"));
        api().post("/api/campaigns/" + id + "/archive").then().statusCode(200).body("archivedAt",
                org.hamcrest.Matchers.notNullValue());
        api().queryParam("archived", true).get("/api/campaigns").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.hasItem((int) id));
        api().queryParam("archived", false).get("/api/campaigns").then().statusCode(200)
                .body("id", not(org.hamcrest.Matchers.hasItem((int) id)));

        AdminBrowser admin = AdminBrowser.signIn();
        assertTrue(!admin.open("/admin/campaigns").asString().contains("/admin/campaigns/" + id + "\""));
        assertTrue(admin.open("/admin/campaigns?archived=true").asString().contains("/admin/campaigns/" + id + "\""));
        admin.open("/admin/campaigns/" + id).then().body(containsString("Bring back from the archive"));
        assertEquals(303, admin.post("/admin/campaigns/" + id + "/archive", Map.of("archived", "false")).statusCode());
        assertTrue(admin.open("/admin/campaigns").asString().contains("/admin/campaigns/" + id + "\""));

        Response duplicated = admin.post("/admin/campaigns/" + id + "/duplicate", Map.of());
        assertEquals(303, duplicated.statusCode());
        String edit = duplicated.header("Location");
        assertTrue(edit.endsWith("/edit"), edit);
        String draft = edit.substring(0, edit.length() - "/edit".length());
        admin.open(draft).then().statusCode(200).body(containsString("id=\"delete-campaign\""));
        // The polled progress also rewrites the header's badge: the two cannot say different states.
        admin.request().get(draft + "/progress").then().statusCode(200)
                .body(containsString("<span class=\"badge\" id=\"campaign-status\" hx-swap-oob=\"true\">draft</span>"));
        assertEquals(303, admin.post(draft + "/delete", Map.of()).statusCode());
        assertEquals(404, admin.open(draft).statusCode());
        assertEquals(400, admin.postWithoutToken("/admin/campaigns/" + id + "/duplicate", Map.of()).statusCode());
    }

    @Test
    void thePreviewTakesASubscribersAddressAndSaysSoWhenNobodyHasIt() {
        long list = list();
        String email = unique("pre").replace(' ', '-') + "@example.org";
        api().body(Map.of("email", email, "name", "Preview Person")).post("/api/lists/" + list + "/subscribers")
                .then().statusCode(201);
        long id = api().body(campaign(list, "<p>Hi {subscriber.name}</p>" + FOOTER)).post("/api/campaigns")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/campaigns/" + id + "/preview?subscriber=" + email.toUpperCase()).then().statusCode(200)
                .body(containsString("Preview Person")).body(containsString(email));
        admin.open("/admin/campaigns/" + id + "/preview?subscriber=nobody-here@example.org").then().statusCode(404)
                .body(containsString("id=\"preview-problem\""))
                .body(containsString("No subscriber has the address or number “nobody-here@example.org”"))
                .body(containsString("id=\"preview-subscriber\""));
        admin.open("/admin/campaigns/" + id + "/preview?subscriber=" + "x".repeat(400)).then().statusCode(400)
                .body(containsString("longer than an e-mail address"));
        admin.open("/admin/campaigns/" + id + "/preview.html?subscriberId=abc").then().statusCode(400);
    }
}
