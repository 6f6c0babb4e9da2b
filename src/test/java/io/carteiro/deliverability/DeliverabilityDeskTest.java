package io.carteiro.deliverability;

import io.carteiro.campaigns.CampaignNetwork;
import io.carteiro.delivery.LoopbackDnsServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The desk as a list owner meets it: a campaign's pre-send checklist over the API and on its page (the message's own
 * facts and the live checks of its From and bounce domains, through the engine's resolvers against a loopback DNS
 * server), the desk page with every sending domain, the brakes' form refusing bad thresholds, and the content score
 * of a campaign's preview from a real rspamd (or the line that says why there is none).
 */
@QuarkusTest
@TestProfile(CampaignNetwork.class)
class DeliverabilityDeskTest {

    LoopbackDnsServer dns;
    RspamdPort rspamd;
    final String tag = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50), 36);

    static RequestSpecification api() {
        return given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                .contentType(ContentType.JSON);
    }

    static String session() {
        Response response = given().redirects().follow(false).header("X-Forwarded-For", "10.9.3.7")
                .formParam("j_username", "admin@carteiro.test")
                .formParam("j_password", "correct horse battery staple").post("/j_security_check");
        return response.cookie("carteiro-session");
    }

    long campaign(String domain, String html) {
        long list = api().body(Map.of("name", "Desk " + tag + " " + html.length())).post("/api/lists").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Desk " + tag);
        body.put("subject", "Hello");
        body.put("fromEmail", "news@" + domain);
        body.put("fromName", "Desk");
        body.put("listIds", List.of(list));
        body.put("html", html);
        return api().body(body).post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static Map<String, String> verdicts(List<Map<String, Object>> checks) {
        Map<String, String> out = new HashMap<>();
        checks.forEach(c -> out.put((String) c.get("name"), (String) c.get("verdict")));
        return out;
    }

    @Test
    void theChecklistShouldNameWhatTheMessageAndItsDomainLack() {
        String domain = "desk-" + tag + ".test";
        dns.txt("_dmarc." + domain, "v=DMARC1; p=none");
        long good = campaign(domain, "<p>Hi</p><p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>");

        JsonPath g = api().get("/api/deliverability/campaigns/" + good + "/checklist").then().statusCode(200)
                .extract().jsonPath();
        Map<String, String> items = verdicts(g.getList("campaign"));
        assertEquals("pass", items.get("unsubscribe-link"), g.prettify());
        assertEquals("pass", items.get("list-id"), g.prettify());
        // the tests' public URL is http://localhost:8080: receivers only honour one-click over HTTPS
        assertEquals("warn", items.get("one-click"), g.prettify());
        assertTrue(items.containsKey("complaint-rate"), g.prettify());
        assertTrue(g.getBoolean("firstFromDomain"), "no campaign from this domain has started");
        assertEquals(domain, g.getString("fromDomainCheck.domain"));
        Map<String, String> domainChecks = verdicts(g.getList("fromDomainCheck.checks"));
        assertTrue(domainChecks.keySet().containsAll(List.of("spf", "dkim", "dmarc", "bounce-mx", "ptr", "ehlo",
                "mta-sts", "tls-rpt")), domainChecks.toString());
        assertEquals("fail", domainChecks.get("spf"), "the domain publishes no SPF record");
        Map<String, Object> dmarc = g.<Map<String, Object>>getList("fromDomainCheck.checks").stream()
                .filter(c -> "dmarc".equals(c.get("name"))).findFirst().orElseThrow();
        assertTrue(((String) dmarc.get("detail")).contains("p=none"), dmarc.toString());
        assertTrue(((String) dmarc.get("detail")).contains("no rua= address"), dmarc.toString());
        assertTrue(!"pass".equals(dmarc.get("verdict")), dmarc.toString());
        assertEquals("fail", g.getString("verdict"));
        assertEquals("bounces.carteiro.test", g.getString("bounceDomainCheck.domain"));

        api().get("/api/deliverability/campaigns/987654321/checklist").then().statusCode(404)
                .body("error", containsString("no campaign with id 987654321"));

        String cookie = session();
        given().cookie("carteiro-session", cookie).get("/admin/deliverability/campaigns/" + good + "/checklist")
                .then().statusCode(200).body(containsString("data-check=\"unsubscribe-link\""))
                .body(containsString("This is the first campaign from " + domain));
        given().cookie("carteiro-session", cookie).get("/admin/campaigns/" + good).then().statusCode(200)
                .body(containsString("/admin/deliverability/campaigns/" + good + "/checklist"));
        given().cookie("carteiro-session", cookie).get("/admin/deliverability").then().statusCode(200)
                .body(containsString("Domain " + domain)).body(containsString("data-check=\"dmarc\""));
        given().cookie("carteiro-session", cookie).get("/admin/deliverability/identity-checks").then()
                .statusCode(200).body(containsString("Domain bounces.carteiro.test"));
        given().cookie("carteiro-session", cookie).queryParam("domain", "not a domain")
                .get("/admin/deliverability").then().statusCode(200)
                .body(containsString("is not a domain name"));
    }

    @Test
    void theBrakesFormShouldRefuseBadThresholdsAndKeepGoodOnes() {
        String cookie = session();
        Response page = given().cookie("carteiro-session", cookie).get("/admin/deliverability");
        Matcher csrf = Pattern.compile("name=\"([^\"]+)\" value=\"([^\"]+)\"").matcher(page.body().asString());
        assertTrue(csrf.find(), "the form carries a CSRF token");
        Map<String, String> form = new HashMap<>(Map.of("enabled", "on", "firstMessages", "500",
                "minMessages", "50", "hardBouncePercent", "7.5", "complaintPercent", "0.3", "minDelivered", "1000",
                "providerRefusalPercent", "60", "providerMinAttempts", "40"));
        form.put(csrf.group(1), csrf.group(2));
        try {
            Map<String, String> bad = new HashMap<>(form);
            bad.put("hardBouncePercent", "250");
            given().cookie("carteiro-session", cookie).cookies(page.cookies()).formParams(bad)
                    .post("/admin/deliverability/brakes").then().statusCode(422)
                    .body(containsString("The hard-bounce share must be 0.1 to 100 %."));
            bad.put("hardBouncePercent", "lots");
            given().cookie("carteiro-session", cookie).cookies(page.cookies()).formParams(bad)
                    .post("/admin/deliverability/brakes").then().statusCode(422)
                    .body(containsString("is not a number."));
            api().get("/api/deliverability/brakes").then().statusCode(200).body("firstMessages",
                    org.hamcrest.Matchers.equalTo(1000));

            given().cookie("carteiro-session", cookie).cookies(page.cookies()).formParams(form).redirects()
                    .follow(false).post("/admin/deliverability/brakes").then().statusCode(303);
            JsonPath saved = api().get("/api/deliverability/brakes").then().statusCode(200).extract().jsonPath();
            assertEquals(500, saved.getInt("firstMessages"));
            assertEquals(7.5, saved.getDouble("hardBouncePercent"));
            assertEquals(40, saved.getInt("providerMinAttempts"));

            api().body(Map.of("enabled", true)).put("/api/deliverability/brakes").then().statusCode(400)
                    .body("field", org.hamcrest.Matchers.equalTo("firstMessages"));
        } finally {
            api().body(Map.of("enabled", true, "firstMessages", 1000, "minMessages", 100, "hardBouncePercent", 5,
                    "complaintPercent", 0.3, "minDelivered", 1000, "providerRefusalPercent", 50,
                    "providerMinAttempts", 50)).put("/api/deliverability/brakes").then().statusCode(200);
        }
    }

    @Test
    void theComplaintRateShouldFailAtGmailsLimitAndWarnAtAThirdOfIt() {
        assertEquals(Verdict.FAIL, PreSendChecklist.complaintItem(3, 1000).verdict());
        assertEquals(Verdict.WARN, PreSendChecklist.complaintItem(1, 1000).verdict());
        assertEquals(Verdict.PASS, PreSendChecklist.complaintItem(0, 1000).verdict());
        assertTrue(PreSendChecklist.complaintItem(3, 1000).detail().contains("3 complaints for 1000 delivered"));
    }

    static final String SCORED_HTML = "<p>Hi</p><p><a href=\"http://192.0.2.1/offer\">Our offer</a></p>"
            + "<p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>";

    @Test
    void withoutAnAnsweringRspamdThePreviewShouldSayWhyThereIsNoScore() throws Exception {
        long id = campaign("score-" + tag + ".test", SCORED_HTML);
        String cookie = session();
        given().cookie("carteiro-session", cookie).get("/admin/campaigns/" + id + "/preview").then().statusCode(200)
                .body(containsString("hx-get=\"/admin/deliverability/campaigns/" + id + "/content-score\""));
        String where = "rspamd at http://127.0.0.1:" + rspamd.port();

        JsonPath refused = api().get("/api/campaigns/" + id + "/content-score").then().statusCode(200).extract()
                .jsonPath();
        assertEquals("unavailable", refused.getString("status"), refused.prettify());
        assertEquals("content score unavailable: " + where + " is not reachable (connection refused)",
                refused.getString("detail"));
        given().cookie("carteiro-session", cookie).get("/admin/deliverability/campaigns/" + id + "/content-score")
                .then().statusCode(200).body(containsString("id=\"content-score-unavailable\""))
                .body(containsString("content score unavailable: " + where + " is not reachable"));

        // a server that takes the connection and never answers (the kernel accepts it into the backlog)
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), rspamd.port()));
            JsonPath slow = api().get("/api/campaigns/" + id + "/content-score").then().statusCode(200).extract()
                    .jsonPath();
            assertEquals("unavailable", slow.getString("status"), slow.prettify());
            assertEquals("content score unavailable: " + where + " did not answer within 5 s",
                    slow.getString("detail"));
        }

        api().get("/api/campaigns/987654321/content-score").then().statusCode(404)
                .body("error", containsString("no campaign with id 987654321"));
        given().cookie("carteiro-session", cookie).get("/admin/deliverability/campaigns/987654321/content-score")
                .then().statusCode(404);
    }

    @Test
    void aRealRspamdShouldScoreTheRenderedMessage() throws Exception {
        long id = campaign("score-" + tag + ".test", SCORED_HTML);
        try (Rspamd real = Rspamd.start(rspamd.port())) {
            JsonPath s = api().get("/api/campaigns/" + id + "/content-score").then().statusCode(200).extract()
                    .jsonPath();
            assertEquals("scored", s.getString("status"), s.prettify() + "\n" + real.log());
            List<String> names = s.getList("symbols.name");
            // rules that read the message itself: a link to a bare IP address, and the headers the engine wrote
            assertTrue(names.contains("HTTP_TO_IP"), names.toString());
            assertTrue(!names.contains("MISSING_MID") && !names.contains("MISSING_DATE"), names.toString());
            double sum = s.getList("symbols.score", Float.class).stream().mapToDouble(Float::doubleValue).sum();
            assertEquals(sum, s.getDouble("score"), 0.05, "the score is the sum of the rules' points");
            assertTrue(List.of("no action", "greylist", "add header", "rewrite subject", "soft reject", "reject")
                    .contains(s.getString("action")), s.getString("action"));
            assertTrue(s.getDouble("requiredScore") > 0, s.prettify());

            given().cookie("carteiro-session", session()).get("/admin/deliverability/campaigns/" + id
                    + "/content-score").then().statusCode(200).body(containsString("data-symbol=\"HTTP_TO_IP\""))
                    .body(containsString("data-action=\"" + s.getString("action") + "\""));
        }
    }
}
