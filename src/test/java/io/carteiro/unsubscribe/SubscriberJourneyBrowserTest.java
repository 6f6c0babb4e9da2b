package io.carteiro.unsubscribe;

import io.carteiro.delivery.MailQueue;
import io.carteiro.delivery.OutgoingMail;
import io.carteiro.support.Browser;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber's whole journey in Debian's headless Chromium: sign up on the hosted form, confirm from the link in
 * the mail a loopback SMTP server received, then leave through the unsubscribe link of a message.
 */
@QuarkusTest
@TestProfile(LoopbackSmtp.RealMail.class)
class SubscriberJourneyBrowserTest {

    @Inject
    Fixtures fixtures;

    @Inject
    SignedLinks links;

    @Inject
    MailQueue mailQueue;

    Browser browser;

    @BeforeEach
    void startBrowser() {
        browser = Browser.open(links.preferencesUrl(1).replaceAll("/p/.*", ""));
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void subscribeConfirmFromTheMailThenUnsubscribeFromAMessage() throws Exception {
        long list = fixtures.list("Browser News", "double", true, "Send me Browser News, please.");
        String email = Fixtures.uniqueEmail("browser");
        String base = links.preferencesUrl(1).replaceAll("/p/.*", "");

        browser.go("/subscribe/" + list);
        browser.type(By.id("email"), email);
        browser.type(By.id("name"), "Rita");
        browser.click(By.id("consent"));
        browser.click(By.cssSelector("button[type=submit]"));
        awaitHeading("Check your inbox");
        long id = fixtures.subscriberId(email).orElseThrow();
        assertEquals("unconfirmed", fixtures.status(list, id));

        MimeMessage confirmation = awaitMail(email, "Confirm your subscription");
        Matcher link = Pattern.compile(Pattern.quote(base) + "/confirm/[A-Za-z0-9_.-]+").matcher(text(confirmation));
        assertTrue(link.find(), text(confirmation));
        browser.go(link.group());
        assertEquals("unconfirmed", fixtures.status(list, id), "opening the link alone must not confirm");
        browser.click(By.id("confirm"));
        awaitHeading("Subscription confirmed");
        assertEquals("confirmed", fixtures.status(list, id));

        // A message as a campaign would send it, with the List-Unsubscribe headers of RFC 2369 / RFC 8058.
        String unsubscribe = links.oneClickUrl(id, list, 5L);
        mailQueue.submit(new OutgoingMail("news@example.org", email, "Browser News #1", "<p>News</p>", "News",
                Map.of("List-Unsubscribe", "<" + unsubscribe + ">",
                        "List-Unsubscribe-Post", "List-Unsubscribe=One-Click"), id, list));
        MimeMessage issue = awaitMail(email, "Browser News #1");
        String header = issue.getHeader("List-Unsubscribe", null);
        String url = header.substring(header.indexOf('<') + 1, header.indexOf('>'));
        browser.go(url);
        assertTrue(browser.pageText().contains("Browser News"));
        assertEquals("confirmed", fixtures.status(list, id), "opening the unsubscribe page must not unsubscribe");
        browser.click(By.id("unsubscribe"));
        awaitHeading("You are unsubscribed");
        assertEquals(List.of("unsubscribed", "link"), fixtures.subscription(list, id, "status, unsubscribe_method"));
    }

    /**
     * Issue 12.15 in a browser: from the preference page (as a forwarded newsletter gives it) the data and the erasure
     * are only asked for; the subscriber downloads and erases from the links mailed to them. Screenshots of each page
     * at a laptop's and a phone's size go to target/screenshots.
     */
    @Test
    void dataAndErasureGoThroughTheLinksMailedToTheSubscriber() throws Exception {
        long list = fixtures.list("Browser Data", "single", true, null);
        String email = Fixtures.uniqueEmail("browser-data");
        long id = fixtures.subscriber(email, list, "confirmed");
        String prefs = links.preferencesUrl(id);
        String base = prefs.replaceAll("/p/.*", "");

        browser.go(prefs.substring(base.length()));
        screenshots("preferences");
        browser.click(By.cssSelector("form[action$='/data'] button"));
        awaitText("A download link is on its way to " + email);
        Matcher download = Pattern.compile(Pattern.quote(base) + "/p/[A-Za-z0-9_.-]+/data")
                .matcher(text(awaitMail(email, "Your data from us")));
        assertTrue(download.find());
        // A browser saves the attachment rather than show it; the file is what the link answers.
        io.restassured.RestAssured.given().get(download.group().substring(base.length())).then().statusCode(200)
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("attachment"))
                .body("email", org.hamcrest.Matchers.equalTo(email));

        browser.go(prefs.substring(base.length()));
        browser.click(By.id("erase-confirm"));
        browser.click(By.cssSelector("form[action$='/erase'] button"));
        awaitText("A link to confirm the erasure is on its way to " + email);
        assertTrue(fixtures.subscriberId(email).isPresent(), "asking erases nothing");
        screenshots("erasure-asked");
        Matcher erase = Pattern.compile(Pattern.quote(base) + "/p/[A-Za-z0-9_.-]+/erase")
                .matcher(text(awaitMail(email, "Confirm the erasure of your data")));
        assertTrue(erase.find());
        browser.go(erase.group().substring(base.length()));
        screenshots("erasure-confirm");
        assertTrue(fixtures.subscriberId(email).isPresent(), "opening the link erases nothing");
        browser.click(By.id("erase"));
        awaitHeading("Your data is erased");
        assertTrue(fixtures.subscriberId(email).isEmpty());
    }

    private void awaitText(String text) {
        browser.waitFor(org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated(
                By.tagName("body"), text));
    }

    /** The page as it is now, at 1366×900 and at 390×844, saved under target/screenshots/. */
    private void screenshots(String name) throws Exception {
        Files.createDirectories(Path.of("target", "screenshots"));
        for (int[] size : new int[][]{{1366, 900}, {390, 844}}) {
            browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(size[0], size[1]));
            Path shot = ((org.openqa.selenium.TakesScreenshot) browser.driver())
                    .getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath();
            Files.copy(shot, Path.of("target", "screenshots", name + "-" + size[0] + "x" + size[1] + ".png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1366, 900));
    }

    /** Waits for the page a click led to: its heading holds {@code text} (the old page's element goes stale). */
    private void awaitHeading(String text) {
        browser.waitFor(org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated(
                By.tagName("h1"), text));
    }

    static MimeMessage awaitMail(String to, String subject) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            Optional<MimeMessage> found = Optional.empty();
            try (Stream<Path> files = Files.list(LoopbackSmtp.MAIL_DIR)) {
                for (Path f : files.toList()) {
                    try (InputStream in = Files.newInputStream(f)) {
                        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), in);
                        String recipients = String.join(",", m.getHeader("To") == null ? new String[0] : m.getHeader("To"));
                        if (recipients.contains(to) && m.getSubject() != null && m.getSubject().startsWith(subject)) {
                            found = Optional.of(m);
                        }
                    }
                }
            }
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100); // polling interval for a file the SMTP server writes; bounded by the deadline
        }
        throw new AssertionError("no mail to " + to + " with subject '" + subject + "' within 30 s");
    }

    static String text(MimeMessage message) throws Exception {
        Object content = message.getContent();
        if (content instanceof String s) {
            return s;
        }
        MimeMultipart multipart = (MimeMultipart) content;
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < multipart.getCount(); i++) {
            Object part = multipart.getBodyPart(i).getContent();
            all.append(part instanceof MimeMultipart inner ? text(inner) : String.valueOf(part)).append('\n');
        }
        return all.toString();
    }

    private static String text(MimeMultipart multipart) throws Exception {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < multipart.getCount(); i++) {
            all.append(multipart.getBodyPart(i).getContent()).append('\n');
        }
        return all.toString();
    }
}
