package io.carteiro.admin;

import io.carteiro.support.AppProcess;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged application as an operator starts it, with the product's defaults, read from its log and attacked
 * from loopback (issue 12.2 and 12.6): no session key or configured password in the log, a generated password shown
 * once, no forged log lines, and no forwarded address believed when no proxy is configured.
 */
class FreshInstallTest {

    static final String OWNER = "owner@fresh.test";
    static final Pattern GENERATED = Pattern.compile("as " + Pattern.quote(OWNER) + " with password (\\S+) \\(generated");

    @Test
    void aFreshInstallShowsItsGeneratedPasswordOnceAndNoSecretAndBelievesNoForwardedAddress() throws Exception {
        String database = AppProcess.freshDatabase();
        String password;
        String token;
        try (AppProcess app = AppProcess.start("fresh", database, Map.of("carteiro.admin.email", OWNER,
                "carteiro.api.basic-auth", "true"))) {
            String log = app.log();
            Matcher generated = GENERATED.matcher(log);
            assertTrue(generated.find(), "the generated password is shown on the first start:\n" + log);
            password = generated.group(1);
            assertNoKeyInLog(log);
            Response signedIn = signIn(app, OWNER, password, null);
            assertEquals("/admin", signedIn.header("Location"), "the shown password works");
            token = tokenFromThePage(app, signedIn.cookie(AdminSessions.COOKIE));

            // a sign-in name with a line break does not start a line of its own in the log
            String forgedLine = "2026-12-01 10:00:00,000 INFO  [io.carteiro.admin.SignIn] (main) admin signed in";
            signIn(app, "mallory@fresh.test\n" + forgedLine, "wrong", null);
            String after = app.log();
            assertTrue(after.contains("mallory@fresh.test\\n" + forgedLine), "the name is logged, escaped");
            assertFalse(after.lines().anyMatch(line -> line.startsWith(forgedLine)), "a forged log line");

            // without trusted proxies, X-Forwarded-For is the client's own claim: evidence names the real peer
            long list = api(app, OWNER, password).body("{\"name\":\"Fresh\",\"optIn\":\"single\"}").post("/api/lists")
                    .then().statusCode(201).extract().jsonPath().getLong("id");
            long subscriber = api(app, OWNER, password).header("X-Forwarded-For", "198.51.100.77, 127.0.0.1")
                    .body("{\"email\":\"reader@fresh.test\"}").post("/api/lists/" + list + "/subscribers")
                    .then().statusCode(201).extract().jsonPath().getLong("id");
            String ip = api(app, OWNER, password).get("/api/subscribers/" + subscriber + "/events").then()
                    .statusCode(200).extract().jsonPath().getString("[0].ip");
            assertEquals("127.0.0.1", ip, "consent evidence IP");

            // ... and the sign-in limits count the real peer, however many addresses it claims
            for (int i = 0; i < 25; i++) {
                signIn(app, "guess" + i + "@fresh.test", "wrong", "10.77." + i + ".1");
            }
            String location = signIn(app, OWNER, password, "10.78.0.1").header("Location");
            assertTrue(location.startsWith("/login?error=throttled"), location);
        }
        try (AppProcess again = AppProcess.start("restarted", database, Map.of("carteiro.admin.email", OWNER))) {
            String log = again.log();
            assertFalse(log.contains(password), "the password is shown only when the account is made");
            assertFalse(log.contains("with password"), log);
            assertNoKeyInLog(log);

            // issue 12.20: by default the API takes no account password, only a token made in the admin
            api(again, OWNER, password).get("/api/lists").then().statusCode(401)
                    .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
            RestAssured.given().baseUri(again.baseUrl()).header("Authorization", "Bearer " + token)
                    .get("/api/lists").then().statusCode(200);
        }
    }

    @Test
    void aConfiguredPasswordIsNeverLogged() throws Exception {
        String configured = "configured pass " + System.nanoTime();
        try (AppProcess app = AppProcess.start("configured", AppProcess.freshDatabase(),
                Map.of("carteiro.admin.email", OWNER, "carteiro.admin.password", configured))) {
            String log = app.log();
            assertTrue(log.contains("Created the first admin \"" + OWNER + "\" with the configured password"), log);
            assertFalse(log.contains(configured), "the configured password is in the log");
            assertNoKeyInLog(log);
            assertEquals("/admin", signIn(app, OWNER, configured, null).header("Location"));
        }
    }

    /** Makes an API token on the admin's token page, as the README tells a newcomer to. */
    private static String tokenFromThePage(AppProcess app, String session) {
        String csrf = RestAssured.given().baseUri(app.baseUrl()).cookie(AdminSessions.COOKIE, session)
                .get("/admin/tokens").htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        return RestAssured.given().baseUri(app.baseUrl()).cookie(AdminSessions.COOKIE, session)
                .formParam("csrf-token", csrf).formParam("name", "README example").formParam("scope", "read")
                .formParam("expires", "").post("/admin/tokens").then().statusCode(201).extract().htmlPath()
                .getString("**.find { it.@id == 'new-token-value' }.text()");
    }

    private static void assertNoKeyInLog(String log) {
        assertFalse(log.contains("temporary key"), "a session key in the log");
        assertFalse(log.toLowerCase().contains("encryption key"), "a session key in the log");
    }

    private static Response signIn(AppProcess app, String email, String password, String forwardedFor) {
        RequestSpecification request = RestAssured.given().baseUri(app.baseUrl()).redirects().follow(false)
                .formParam("j_username", email).formParam("j_password", password);
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return request.post("/j_security_check");
    }

    private static RequestSpecification api(AppProcess app, String email, String password) {
        return RestAssured.given().baseUri(app.baseUrl()).auth().preemptive().basic(email, password)
                .contentType("application/json");
    }
}
