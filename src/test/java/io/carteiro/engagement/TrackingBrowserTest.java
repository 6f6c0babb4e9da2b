package io.carteiro.engagement;

import com.sun.net.httpserver.HttpServer;
import io.agroal.api.AgroalDataSource;
import io.carteiro.campaigns.CampaignNetwork;
import io.carteiro.delivery.DeliveryTestSupport;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.support.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In Debian's headless chromium: a delivered message opened as a mail client shows it, its link clicked, the
 * person lands on the target and is counted once as a person; a scanner's HEAD and GET of the same kind of link
 * is counted as a machine; the report page shows both.
 */
@QuarkusTest
@TestProfile(CampaignNetwork.class)
class TrackingBrowserTest {

    /** A person's desktop Chrome: headless chromium names itself HeadlessChrome, which is a machine's agent. */
    static final String PERSON = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36";

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @TestHTTPResource("/")
    URL base;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DeliveryTestSupport delivery;
    @Inject
    Settler settler;

    @Test
    void aClickedLinkShouldLandOnItsTargetCountOnceAsAPersonAndTheReportPageShouldShowTheScannerApart()
            throws Exception {
        AtomicInteger landed = new AtomicInteger();
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/landing", exchange -> {
            byte[] page = "<!DOCTYPE html><title>Landing</title><h1 id=\"landed\">You are here</h1>"
                    .getBytes(StandardCharsets.UTF_8);
            if (!"HEAD".equals(exchange.getRequestMethod())) {
                landed.incrementAndGet();
            }
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        target.start();
        String landing = "http://127.0.0.1:" + target.getAddress().getPort() + "/landing";
        String app = base.toString().replaceAll("/$", "");
        TrackedCampaign campaign = new TrackedCampaign(dataSource, dns, ports).list("subscriber", false, "ana", "bo");
        try (Browser browser = Browser.open(app, "--user-agent=" + PERSON)) {
            var mail = campaign.send(delivery, "<p>Hello {subscriber.name}</p><p><a id=\"read\" href=\"" + landing
                    + "\">Read it</a></p><p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>");
            // Ana's mail client shows her message (its links point at carteiro.public-url; here, the test's app).
            Path message = Files.createTempFile("carteiro-message", ".html");
            Files.writeString(message, "<!DOCTYPE html><meta charset=\"utf-8\">"
                    + mail.get("ana").html().replace("http://localhost:8080/", app + "/"));
            browser.driver().get(message.toUri().toString());
            browser.click(By.linkText("Read it"));
            assertEquals("You are here", browser.find(By.id("landed")).getText());
            assertTrue(browser.driver().getCurrentUrl().startsWith(landing), browser.driver().getCurrentUrl());
            assertEquals(1, landed.get());
            Files.delete(message);

            // Bo's mail filter: HEAD, then GET, at once.
            String scanned = mail.get("bo").links().get(0);
            given().redirects().follow(false).header("User-Agent", PERSON).head(scanned).then().statusCode(302);
            given().redirects().follow(false).header("User-Agent", PERSON).get(scanned).then().statusCode(302);
            while (settler.settle(Instant.now().plusSeconds(3600)) > 0) {
                // until nothing is pending
            }

            browser.signIn("admin@carteiro.test", "correct horse battery staple");
            browser.go("/admin/campaigns/" + campaign.campaignId).click(By.id("campaign-report"));
            assertEquals("2", browser.find(By.id("delivered")).getText());
            assertEquals("1", browser.find(By.id("human-clicks")).getText());
            assertEquals("1", browser.find(By.id("unique-clickers")).getText());
            assertEquals("2", browser.find(By.id("machine-clicks")).getText());
            String links = browser.find(By.id("report-links")).getText();
            assertTrue(links.contains(landing + " 1 1 2"), links);
            assertTrue(browser.find(By.id("report-domains")).getText().contains(campaign.domain), "domain row");
            assertTrue(browser.find(By.id("timeline-chart")).isDisplayed(), "the timeline chart");
        } finally {
            target.stop(0);
            campaign.close();
        }
    }
}
