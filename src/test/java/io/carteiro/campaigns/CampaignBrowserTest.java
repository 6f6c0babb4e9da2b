package io.carteiro.campaigns;

import io.agroal.api.AgroalDataSource;
import io.carteiro.delivery.DeliveryTestSupport;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.TestSmtpServer;
import io.carteiro.support.Browser;
import io.carteiro.support.Screenshots;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.net.URL;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.carteiro.campaigns.CampaignsApiTest.api;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An editor in Debian's headless chromium: compose, hit a template error, fix it, preview, send, watch 100%. */
@QuarkusTest
@TestProfile(CampaignNetwork.class)
class CampaignBrowserTest {

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @TestHTTPResource("/")
    URL base;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DeliveryTestSupport delivery;

    @Test
    void editorShouldSeeATemplateErrorFixItPreviewSendAndWatchProgressReachAHundredPercent() throws Exception {
        CampaignFixture fixture = new CampaignFixture(dataSource);
        String domain = "browser-" + fixture.tag + ".test";
        String address = ports.nextAddress();
        try (TestSmtpServer smtp = TestSmtpServer.start(address, ports.port(), TestSmtpServer.Behaviour.ACCEPT);
             Browser browser = Browser.open(base.toString().replaceAll("/$", ""))) {
            dns.mx(domain, 10, "mx." + domain).a("mx." + domain, address);
            long list = fixture.list("Browser");
            fixture.subscribe(list, fixture.subscribers(5, "web", i -> domain, "Web", "active"), "confirmed");

            browser.signIn("admin@carteiro.test", "correct horse battery staple");
            browser.go("/admin/campaigns/new")
                    .type(By.id("campaign-name"), "Browser " + fixture.tag)
                    .type(By.id("campaign-subject"), "News for {subscriber.name}")
                    .click(By.id("campaign-list-" + list))
                    .type(By.id("campaign-html"), "<p>Hello</p>\n<p>{subscriber.name</p>\n"
                            + "<a href=\"{unsubscribeUrl}\">Unsubscribe</a>")
                    .click(By.id("save-campaign"));
            assertEquals("2", browser.find(By.id("template-error-line")).getText());

            browser.type(By.id("campaign-html"), "<p>Hello {subscriber.name}</p>\n"
                            + "<a href=\"{unsubscribeUrl}\">Unsubscribe</a>")
                    .click(By.id("save-campaign"));
            browser.find(By.id("schedule-now"));
            String url = browser.driver().getCurrentUrl();
            long id = Long.parseLong(url.substring(url.lastIndexOf('/') + 1));

            browser.click(By.id("preview-campaign"));
            assertEquals("News for Sample Subscriber", browser.find(By.id("preview-subject")).getText());
            browser.go("/admin/campaigns/" + id).click(By.id("schedule-now"));

            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            List<Long> rows;
            do {
                assertTrue(Instant.now().isBefore(deadline), "campaign never started");
                rows = fixture.longs("SELECT id FROM outbound_message WHERE campaign_id = " + id);
            } while (rows.size() < 5);
            for (long row : rows) {
                delivery.deliver(row);
            }
            // htmx replaces the fragment while we read it; textToBe finds the element afresh on each try.
            browser.waitFor(org.openqa.selenium.support.ui.ExpectedConditions.textToBe(By.id("progress-percent"),
                    "100"));
            assertEquals("5", browser.find(By.id("progress-sent")).getText());
            assertEquals(5, smtp.received().size());
        }
    }

    /**
     * Issue 15.2 and 15.6: from the campaign page, a test goes to two addresses typed with a comma and a space,
     * rendered with a chosen subscriber's data (by address) and received by a loopback SMTP server; a bad address
     * and an unknown subscriber are refused in the form's words; a past send time says so in the form's words; Cancel
     * asks first, "Keep it" keeps the campaign, and only the confirmation cancels it.
     */
    @Test
    void campaignPageShouldSendATestWithAChosenSubscribersDataAndAskBeforeCancelling() throws Exception {
        CampaignFixture fixture = new CampaignFixture(dataSource);
        String domain = "tests-" + fixture.tag + ".test";
        String address = ports.nextAddress();
        try (TestSmtpServer smtp = TestSmtpServer.start(address, ports.port(), TestSmtpServer.Behaviour.ACCEPT);
             Browser browser = Browser.open(base.toString().replaceAll("/$", ""))) {
            dns.mx(domain, 10, "mx." + domain).a("mx." + domain, address);
            long list = api().body(Map.of("name", "Test sends " + fixture.tag, "optIn", "single"))
                    .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
            String reader = "maria." + fixture.tag + "@reader.test";
            api().body(Map.of("email", reader, "name", "Maria Reader", "attributes", Map.of("city", "Braga")))
                    .post("/api/lists/" + list + "/subscribers").then().statusCode(201);
            long id = api().body(Map.of("name", "Tested " + fixture.tag, "subject", "News for {subscriber.name}",
                            "fromEmail", "news@sender.test", "listIds", List.of(list),
                            "html", "<p>Hello {subscriber.name} of {subscriber.attributes.city ?: 'nowhere'}</p>"
                                    + "<a href=\"{unsubscribeUrl}\">Unsubscribe</a>"))
                    .post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");

            browser.signIn("admin@carteiro.test", "correct horse battery staple");
            browser.go("/admin/campaigns/" + id)
                    .type(By.id("test-to"), "one@" + domain + ", two@" + domain)
                    .type(By.id("test-subscriber"), reader.toUpperCase(java.util.Locale.ROOT))
                    .click(By.id("send-test"));
            assertTrue(browser.find(By.id("test-sent")).getText().contains("2 addresses"), browser.pageText());
            Screenshots.take(browser, "campaign-test-sent");
            List<Long> queued = fixture.longs("SELECT id FROM outbound_message WHERE recipient_domain = '"
                    + domain + "' ORDER BY id");
            assertEquals(2, queued.size());
            queued.forEach(delivery::deliver);
            assertEquals(List.of("one@" + domain, "two@" + domain),
                    smtp.received().stream().map(TestSmtpServer.Received::to).sorted().toList());
            for (TestSmtpServer.Received mail : smtp.received()) {
                assertTrue(mail.text().contains("Subject: [Test] News for Maria Reader"), mail.text());
                assertTrue(mail.text().contains("Hello Maria Reader of Braga"), mail.text());
            }

            browser.type(By.id("test-to"), "one@" + domain + " not-an-address").click(By.id("send-test"));
            String problem = browser.find(By.id("campaign-problem")).getText();
            assertTrue(problem.contains("“Send a test to”: “not-an-address” is not an e-mail address"), problem);
            browser.type(By.id("test-to"), "one@" + domain)
                    .type(By.id("test-subscriber"), "nobody." + fixture.tag + "@reader.test")
                    .click(By.id("send-test"));
            problem = browser.find(By.id("campaign-problem")).getText();
            assertTrue(problem.contains("“With the data of” names no subscriber"), problem);

            String yesterday = LocalDateTime.now(java.time.ZoneOffset.UTC).minusDays(1)
                    .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
            // datetime-local takes its value through script; typing depends on the browser's locale.
            ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript(
                    "document.getElementById('schedule-at').value = arguments[0]", yesterday);
            browser.click(By.id("schedule-later"));
            problem = browser.find(By.id("campaign-problem")).getText();
            assertTrue(problem.contains("has already passed: choose a later time, or press Send now"), problem);
            assertTrue(!problem.contains("null") && !problem.contains("sendAt"), problem);

            browser.click(By.id("cancel-campaign"));
            browser.find(By.id("confirm-cancel"));
            Screenshots.take(browser, "campaign-confirm-cancel");
            browser.click(By.id("keep-campaign"));
            assertEquals("draft", browser.find(By.id("campaign-status")).getText());
            browser.click(By.id("cancel-campaign")).click(By.id("confirm-cancel"));
            assertEquals("cancelled", browser.find(By.id("campaign-status")).getText());
        }
    }
}
