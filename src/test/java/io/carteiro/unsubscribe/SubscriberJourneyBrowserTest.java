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
