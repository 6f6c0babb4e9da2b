package io.carteiro.unsubscribe;

import io.carteiro.delivery.MailQueue;
import io.carteiro.delivery.OutgoingMail;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A subscriber's whole journey in Debian's headless Chromium: sign up on the hosted form, confirm from the link in
 * the mail a loopback SMTP server received, then leave through the unsubscribe link of a message.
 */
@QuarkusTest
@TestProfile(SubscriberJourneyBrowserTest.RealMail.class)
class SubscriberJourneyBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** The delivery engine sending for real, in relay mode to {@link LoopbackSmtp}. */
    public static class RealMail implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LoopbackSmtp.class));
        }
    }

    @Inject
    Fixtures fixtures;

    @Inject
    SignedLinks links;

    @Inject
    MailQueue mailQueue;

    WebDriver browser;
    Path profileDir;

    @BeforeEach
    void startBrowser() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            String reason = "Debian chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)";
            if ("true".equals(System.getenv("CARTEIRO_REQUIRE_SYSTEM_TOOLS"))) {
                fail(reason);
            }
            System.out.println("SKIPPED SubscriberJourneyBrowserTest: " + reason);
            Assumptions.abort(reason);
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        profileDir = Files.createTempDirectory("carteiro-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profileDir, "--lang=en-US");
        browser = new ChromeDriver(options);
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profileDir != null) {
            try (Stream<Path> files = Files.walk(profileDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void subscribeConfirmFromTheMailThenUnsubscribeFromAMessage() throws Exception {
        long list = fixtures.list("Browser News", "double", true, "Send me Browser News, please.");
        String email = Fixtures.uniqueEmail("browser");
        String base = links.preferencesUrl(1).replaceAll("/p/.*", "");

        browser.get(base + "/subscribe/" + list);
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("name")).sendKeys("Rita");
        browser.findElement(By.id("consent")).click();
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        awaitHeading("Check your inbox");
        long id = fixtures.subscriberId(email).orElseThrow();
        assertEquals("unconfirmed", fixtures.status(list, id));

        MimeMessage confirmation = awaitMail(email, "Confirm your subscription");
        Matcher link = Pattern.compile(Pattern.quote(base) + "/confirm/[A-Za-z0-9_.-]+").matcher(text(confirmation));
        assertTrue(link.find(), text(confirmation));
        browser.get(link.group());
        assertEquals("unconfirmed", fixtures.status(list, id), "opening the link alone must not confirm");
        browser.findElement(By.id("confirm")).click();
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
        browser.get(url);
        assertTrue(browser.getPageSource().contains("Browser News"));
        assertEquals("confirmed", fixtures.status(list, id), "opening the unsubscribe page must not unsubscribe");
        browser.findElement(By.id("unsubscribe")).click();
        awaitHeading("You are unsubscribed");
        assertEquals(List.of("unsubscribed", "link"), fixtures.subscription(list, id, "status, unsubscribe_method"));
    }

    /** Waits for the page a click led to: its heading holds {@code text} (the old page's element goes stale). */
    private void awaitHeading(String text) {
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(15))
                .ignoring(org.openqa.selenium.WebDriverException.class).until(
                org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), text));
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
