package io.carteiro.campaigns;

import io.carteiro.support.Visitors;
import io.carteiro.unsubscribe.LoopbackSmtp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static io.carteiro.support.Visitors.api;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 12.10: {@code Subject: hi^@^KBcc: …} must not reach the wire. A subject or sender typed into the API with
 * NUL, VT, FF or another control character is refused at save time; one built at send time from a subscriber's
 * attribute has them removed before it becomes a header. The engine sends for real, to an SMTP server on loopback.
 */
@QuarkusTest
@TestProfile(LoopbackSmtp.RealMail.class)
class HeaderInjectionTest {

    static final String HOSTILE = "hi\u0000\u000bBcc: victim@evil.test\u000c";

    @Test
    void controlCharactersInTheSubjectOrSenderAreRefusedAtSaveTime() {
        long list = list("Header refusals", null);
        for (String field : List.of("subject", "fromName", "name")) {
            Map<String, Object> body = campaign(list, "Plain subject");
            body.put(field, HOSTILE);
            api().contentType("application/json").body(body).post("/api/campaigns").then().statusCode(400)
                    .body(containsString(field + " holds a NUL character (U+0000) at position 3"));
        }
        api().contentType("application/json").body(Map.of("name", "Header list " + Visitors.unique(), "optIn",
                "single", "fromEmail", "news@example.org", "fromName", "Ev\u000bil News")).post("/api/lists")
                .then().statusCode(400).body(containsString("fromName may not hold line breaks or control characters"));
        long ok = api().contentType("application/json").body(campaign(list, "Plain subject"))
                .post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
        Map<String, Object> update = campaign(list, HOSTILE);
        api().contentType("application/json").body(update).put("/api/campaigns/" + ok).then().statusCode(400);
        api().get("/api/campaigns/" + ok).then().statusCode(200)
                .body(containsString("Plain subject"));
    }

    @Test
    void aSubjectBuiltFromASubscriberAttributeReachesTheWireWithoutControlCharacters() throws IOException {
        long list = list("Header wire", null);
        String email = "wire-" + Visitors.unique() + "@example.org";
        api().contentType("application/json").body(Map.of("email", email, "name", "Wire",
                "attributes", Map.of("nick", HOSTILE))).post("/api/lists/" + list + "/subscribers")
                .then().statusCode(201);
        long id = api().contentType("application/json").body(campaign(list, "News {subscriber.attributes.nick}"))
                .post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
        api().contentType("application/json").body("{}").post("/api/campaigns/" + id + "/schedule")
                .then().statusCode(200);

        String headers = awaitMailTo(email);
        for (char c : new char[]{'\u0000', '\u000b', '\u000c'}) {
            assertFalse(headers.indexOf(c) >= 0, "U+" + Integer.toHexString(c) + " in the headers:\n" + headers);
        }
        assertFalse(headers.lines().anyMatch(l -> l.regionMatches(true, 0, "Bcc:", 0, 4)), headers);
        assertTrue(headers.lines().anyMatch(l -> l.equals("Subject: News hiBcc: victim@evil.test")), headers);
    }

    static long list(String name, String fromName) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name + " " + Visitors.unique(), "optIn", "single",
                "fromEmail", "news@example.org"));
        if (fromName != null) {
            body.put("fromName", fromName);
        }
        return api().contentType("application/json").body(body).post("/api/lists").then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    static Map<String, Object> campaign(long list, String subject) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Header test " + Visitors.unique());
        body.put("subject", subject);
        body.put("fromEmail", "news@example.org");
        body.put("fromName", "Example News");
        body.put("listIds", List.of(list));
        body.put("html", "<p>Hello</p><p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>");
        return body;
    }

    /** The header section of the message the loopback SMTP server received for this address. */
    static String awaitMailTo(String email) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            Optional<String> found = find(email);
            if (found.isPresent()) {
                return found.get();
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // poll interval, not a wait for an event
        }
        fail("no message for " + email + " reached the loopback SMTP server");
        return null;
    }

    private static Optional<String> find(String email) throws IOException {
        if (!Files.isDirectory(LoopbackSmtp.MAIL_DIR)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(LoopbackSmtp.MAIL_DIR)) {
            for (Path file : files.toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                String headers = end < 0 ? text : text.substring(0, end);
                if (headers.contains("To: " + email)) {
                    return Optional.of(headers);
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void theCheckNamesTheFirstCharacterAtFault() {
        assertEquals(Optional.of("holds a NUL character (U+0000) at position 3"), HeaderValues.problem(HOSTILE));
        assertEquals(Optional.empty(), HeaderValues.problem("Olá\tmundo שלום \u202B"));
        assertEquals("News hiBcc: victim@evil.test", HeaderValues.singleLine("News " + HOSTILE));
    }
}
