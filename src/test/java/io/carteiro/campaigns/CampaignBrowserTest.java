package io.carteiro.campaigns;

import io.agroal.api.AgroalDataSource;
import io.carteiro.delivery.DeliveryTestSupport;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.TestSmtpServer;
import io.carteiro.support.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
            browser.waitFor(d -> d.findElement(By.id("progress-percent")).getText().equals("100"));
            assertEquals("5", browser.find(By.id("progress-sent")).getText());
            assertEquals(5, smtp.received().size());
        }
    }
}
