package io.carteiro.bounces;

import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.TestSmtpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin reads bounces (filtered, charted, per subscriber), reviews unparsed mail, sets rules, edits suppressions. */
@QuarkusTest
@TestProfile(BounceNetwork.class)
class BouncePagesTest {

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    BounceRecorder recorder;

    @Inject
    BounceTestData data;

    @BeforeEach
    void network() {
        data.on(dns, ports);
    }

    private static String session() {
        return given().redirects().follow(false).header("X-Forwarded-For", "10.9.6.1")
                .formParam("j_username", "admin@carteiro.test")
                .formParam("j_password", "correct horse battery staple").post("/j_security_check")
                .cookie("carteiro-session");
    }

    /** The page's CSRF field name and token, and its cookies. */
    private record Form(String field, String token, java.util.Map<String, String> cookies) {
        static Form of(Response page) {
            Matcher m = Pattern.compile("name=\"([^\"]+)\" value=\"([^\"]+)\"").matcher(page.body().asString());
            assertTrue(m.find(), "the page has a form with a CSRF token");
            return new Form(m.group(1), m.group(2), page.cookies());
        }
    }

    @Test
    void bouncesPageShouldFilterByDomainAndKindAndChartBouncesPerDay() throws Exception {
        String domain = data.domain("pages", TestSmtpServer.Behaviour.REJECT_RECIPIENT);
        String email = data.uniqueEmail(domain);
        long list = data.list();
        data.subscriber(email, list);
        long campaign = data.sendCampaign(list).get(email).campaignId();
        String cookie = session();

        given().cookie("carteiro-session", cookie).queryParam("domain", domain).when().get("/admin/bounces")
                .then().statusCode(200).body(containsString(email)).body(containsString("<svg"))
                .body(containsString(": 1</title>"));
        given().cookie("carteiro-session", cookie).queryParam("domain", domain).queryParam("kind", "soft")
                .when().get("/admin/bounces").then().statusCode(200).body(not(containsString(email)));
        given().cookie("carteiro-session", cookie).queryParam("campaign", campaign).when().get("/admin/bounces")
                .then().statusCode(200).body(containsString(email));
        given().cookie("carteiro-session", cookie).queryParam("email", email).when().get("/admin/bounces")
                .then().statusCode(200).body(containsString("Bounce history of " + email))
                .body(containsString("5.1.1"));
        given().cookie("carteiro-session", cookie).queryParam("campaign", "abc").when().get("/admin/bounces")
                .then().statusCode(400).body(containsString("campaign must be a campaign id"));
    }

    @Test
    void unparsedMessagesShouldBeListedWithTheirRawText() {
        var outcome = recorder.receive(new InboundMail(RawMessage.of("Subject: puzzling\r\n\r\nwhat is this\r\n"
                .getBytes()), "x@y.example", "b-1-x@bounces.carteiro.test", InboundMail.Channel.LISTENER, null));
        assertEquals(InboundOutcome.Result.KEPT_FOR_REVIEW, outcome.result());
        String cookie = session();
        given().cookie("carteiro-session", cookie).when().get("/admin/bounces/unparsed")
                .then().statusCode(200).body(containsString("puzzling"));
        given().cookie("carteiro-session", cookie).when().get("/admin/bounces/unparsed/" + outcome.unparsedId() + "/raw")
                .then().statusCode(200).body(containsString("what is this"));
    }

    @Test
    void rulesFormShouldSaveValidSettingsAndRefuseBadOnes() {
        String cookie = session();
        Response page = given().cookie("carteiro-session", cookie).when().get("/admin/bounces/rules");
        assertEquals(200, page.statusCode());
        Form form = Form.of(page);
        try {
            given().cookie("carteiro-session", cookie).cookies(form.cookies()).redirects().follow(false)
                    .formParam(form.field(), form.token()).formParam("hardBounceMarksBounced", "on")
                    .formParam("softBounceThreshold", "5").formParam("softBounceWindowDays", "14")
                    .formParam("complaintUnsubscribes", "on")
                    .when().post("/admin/bounces/rules").then().statusCode(303);
            given().cookie("carteiro-session", cookie).when().get("/admin/bounces/rules")
                    .then().statusCode(200).body(containsString("value=\"5\"")).body(containsString("value=\"14\""));
            given().cookie("carteiro-session", cookie).cookies(form.cookies())
                    .formParam(form.field(), form.token()).formParam("softBounceThreshold", "0")
                    .formParam("softBounceWindowDays", "14")
                    .when().post("/admin/bounces/rules").then().statusCode(400)
                    .body(containsString("softBounceThreshold must be between 1 and 100"));
            given().cookie("carteiro-session", cookie).when().get("/admin/bounces/rules")
                    .then().body(containsString("value=\"5\""));
        } finally {
            given().cookie("carteiro-session", cookie).cookies(form.cookies()).redirects().follow(false)
                    .formParam(form.field(), form.token()).formParam("hardBounceMarksBounced", "on")
                    .formParam("softBounceThreshold", "3").formParam("softBounceWindowDays", "30")
                    .formParam("complaintUnsubscribes", "on").when().post("/admin/bounces/rules");
        }
    }

    @Test
    void suppressionPageShouldAddImportExportAndRemove() throws Exception {
        String cookie = session();
        Response page = given().cookie("carteiro-session", cookie).when().get("/admin/suppression");
        assertEquals(200, page.statusCode());
        Form form = Form.of(page);
        String address = data.uniqueEmail("suppress-page.example");

        given().cookie("carteiro-session", cookie).cookies(form.cookies()).redirects().follow(false)
                .formParam(form.field(), form.token()).formParam("kind", "address").formParam("value", address)
                .formParam("reason", "manual").formParam("detail", "asked by phone")
                .when().post("/admin/suppression").then().statusCode(303);

        String goodDomain = "imported" + System.nanoTime() + ".example";
        String csv = "kind,value,reason,detail\ndomain," + goodDomain + ",import,from old system\n";
        given().cookie("carteiro-session", cookie).cookies(form.cookies()).redirects().follow(false)
                .multiPart(form.field(), form.token()).multiPart("file", "s.csv", csv.getBytes(), "text/csv")
                .when().post("/admin/suppression/import").then().statusCode(303);

        long before = data.count("select count(*) from suppression");
        String bad = "address,not-an-address\ndomain,fine" + System.nanoTime() + ".example\nplanet,x\n";
        given().cookie("carteiro-session", cookie).cookies(form.cookies())
                .multiPart(form.field(), form.token()).multiPart("file", "bad.csv", bad.getBytes(), "text/csv")
                .when().post("/admin/suppression/import").then().statusCode(400)
                .body(containsString("line 1")).body(containsString("line 3"))
                .body(containsString("Nothing imported"));
        assertEquals(before, data.count("select count(*) from suppression"), "a bad import stores nothing");

        String export = given().cookie("carteiro-session", cookie).when().get("/admin/suppression/export.csv")
                .then().statusCode(200).extract().asString();
        assertTrue(export.startsWith("kind,value,reason,detail,created_at"), export);
        assertTrue(export.contains("address," + address + ",manual,asked by phone"), export);
        assertTrue(export.contains("domain," + goodDomain + ",import,from old system"), export);

        String id = data.string("select id from suppression where value = '" + address + "'");
        given().cookie("carteiro-session", cookie).cookies(form.cookies()).redirects().follow(false)
                .formParam(form.field(), form.token()).when().post("/admin/suppression/" + id + "/delete")
                .then().statusCode(303);
        assertEquals(0, data.count("select count(*) from suppression where value = '" + address + "'"));
    }
}
