package io.carteiro.campaigns;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class CampaignPagesTest {

    static final Pattern CSRF = Pattern.compile("name=\"([^\"]*csrf[^\"]*)\" value=\"([^\"]+)\"");

    @Inject
    AgroalDataSource dataSource;

    CampaignFixture fixture;
    String session;
    String csrfName;
    String csrfToken;
    String csrfCookie;

    @BeforeEach
    void signIn() {
        fixture = new CampaignFixture(dataSource);
        session = given().redirects().follow(false).header("X-Forwarded-For", "10.77.0.1")
                .formParam("j_username", "admin@carteiro.test").formParam("j_password", "correct horse battery staple")
                .post("/j_security_check").cookie("carteiro-session");
    }

    RequestSpecification page() {
        return given().cookie("carteiro-session", session).redirects().follow(false);
    }

    String open(String path) {
        Response response = page().get(path);
        assertEquals(200, response.statusCode(), path);
        String html = response.asString();
        Matcher m = CSRF.matcher(html);
        if (m.find()) {
            csrfName = m.group(1);
            csrfToken = m.group(2);
            csrfCookie = response.cookie("csrf-token") != null ? response.cookie("csrf-token") : csrfCookie;
        }
        return html;
    }

    RequestSpecification form() {
        RequestSpecification spec = page().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam(csrfName, csrfToken);
        return csrfCookie == null ? spec : spec.cookie("csrf-token", csrfCookie);
    }

    @Test
    void composeShouldShowATemplateErrorThenSaveSchedulePreviewAndShowProgress() throws SQLException {
        long list = fixture.list("Pages");
        fixture.subscribe(list, fixture.subscribers(4, "pg", i -> "pages.example", "Pat", "active"), "confirmed");
        String name = "Pages " + fixture.tag;

        open("/admin/campaigns/new");
        form().formParam("name", name).formParam("subject", "Hi {subscriber.name}")
                .formParam("listIds", list)
                .formParam("html", "<p>Hello</p>\n<p>{#if subscriber.name}unclosed</p>\n"
                        + "<a href=\"{unsubscribeUrl}\">U</a>")
                .post("/admin/campaigns/new").then().statusCode(400)
                .body(containsString("id=\"template-error\""))
                .body(containsString("<span id=\"template-error-line\">"))
                .body(containsString("value=\"" + name + "\""));
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM campaign WHERE name = '" + name + "'"));

        Response saved = form().formParam("name", name).formParam("subject", "Hi {subscriber.name}")
                .formParam("listIds", list).formParam("timeZone", "UTC")
                .formParam("html", "<p>Hello {subscriber.name}</p>\n<a href=\"{unsubscribeUrl}\">Unsubscribe</a>")
                .post("/admin/campaigns/new");
        assertEquals(303, saved.statusCode(), saved.asString());
        String location = saved.header("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));

        String campaign = open("/admin/campaigns/" + id);
        assertTrue(campaign.contains("id=\"campaign-status\">draft<"), campaign);
        assertTrue(campaign.contains("id=\"schedule-now\""));

        String preview = open("/admin/campaigns/" + id + "/preview");
        assertTrue(preview.contains("id=\"preview-subject\">Hi Sample Subscriber<"), preview);
        assertTrue(preview.contains("List-Id") || preview.contains("preview-html"), preview);

        open("/admin/campaigns/" + id);
        form().formParam("when", "now").post("/admin/campaigns/" + id + "/schedule").then().statusCode(303);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String progress;
        do {
            assertTrue(Instant.now().isBefore(deadline), "campaign never started");
            progress = page().get("/admin/campaigns/" + id + "/progress").then().statusCode(200).extract().asString();
        } while (!progress.contains("id=\"progress-queued\">4<"));
        assertTrue(progress.contains("hx-trigger=\"every 2s\""), progress);
        assertTrue(progress.contains("id=\"progress-sent\">0<"), progress);
        assertTrue(progress.contains("<polyline"), progress);

        String log = open("/admin/campaigns/" + id + "/log?address=pg1-&state=queued");
        assertTrue(log.contains("pg1-" + fixture.tag + "@pages.example"), log);
        assertTrue(!log.contains("pg2-" + fixture.tag), log);

        open("/admin/campaigns/" + id);
        form().post("/admin/campaigns/" + id + "/cancel").then().statusCode(303);
        assertTrue(open("/admin/campaigns").contains(name));
        assertTrue(open("/admin/campaigns/" + id).contains("id=\"campaign-status\">cancelled<"));
    }

    @Test
    void aLayoutWithATemplateErrorShouldBeRefusedWithItsLine() {
        open("/admin/campaigns/layouts");
        form().formParam("name", "Broken layout " + System.nanoTime()).formParam("headerHtml", "<h1>\n{#each}</h1>")
                .formParam("footerHtml", "").post("/admin/campaigns/layouts").then().statusCode(400)
                .body(containsString("id=\"template-error\"")).body(containsString("header, line"));
        String name = "Layout " + System.nanoTime();
        open("/admin/campaigns/layouts");
        form().formParam("name", name).formParam("headerHtml", "<h1>{list.name}</h1>")
                .formParam("footerHtml", "<a href=\"{unsubscribeUrl}\">Leave</a>").post("/admin/campaigns/layouts")
                .then().statusCode(303);
        assertTrue(open("/admin/campaigns/layouts").contains(name));
        assertTrue(List.of(open("/admin/campaigns/new")).get(0).contains(name));
    }
}
