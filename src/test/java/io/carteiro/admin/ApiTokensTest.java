package io.carteiro.admin;

import io.carteiro.web.AdminBrowser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 12.20: API tokens instead of account passwords, limited by scopes, shown once, stored hashed. */
@QuarkusTest
class ApiTokensTest {

    static final String ADMIN = SignInTest.ADMIN;
    static final String PASSWORD = SignInTest.PASSWORD;

    @Inject
    EntityManager em;

    @Test
    void aTokenIsShownOnceStoredHashedListedWithItsLastUseAndRevokedAtOnce() {
        JsonPath made = create("deploy script", List.of("read", "write"), null).then().statusCode(201)
                .header("Location", containsString("/api/tokens/")).extract().jsonPath();
        long id = made.getLong("id");
        String token = made.getString("token");
        assertTrue(token.startsWith("crt_") && token.length() == 47, token);

        byte[][] stored = stored(id);
        assertArrayEquals(Sha256.of(token), stored[0], "only the SHA-256 of the token is kept");
        assertEquals(token.substring(0, 12), new String(stored[1]), "and its first characters, to recognise it");

        String list = basic().get("/api/tokens").then().statusCode(200).extract().asString();
        assertFalse(list.contains(token), "the token is never shown again");
        bearer(token).get("/api/lists").then().statusCode(200);
        basic().get("/api/tokens").then().body("find { it.id == " + id + " }.lastUsedAt", notNullValue())
                .body("find { it.id == " + id + " }.scopes", equalTo(List.of("read", "write")));

        basic().delete("/api/tokens/" + id).then().statusCode(204);
        bearer(token).get("/api/lists").then().statusCode(401);
        basic().delete("/api/tokens/" + id).then().statusCode(404);
    }

    @Test
    void scopesHoldOnEveryKindOfRoute() {
        String read = token("reader", "read");
        String write = token("writer", "write");
        String send = token("sender", "send");

        bearer(read).get("/api/lists").then().statusCode(200);
        bearer(read).body("{\"name\":\"By a reader\"}").post("/api/lists").then().statusCode(403)
                .body("error", containsString("'write'"));
        bearer(write).get("/api/lists").then().statusCode(403).body("error", containsString("'read'"));
        long list = bearer(write).body("{\"name\":\"By a writer " + System.nanoTime() + "\",\"optIn\":\"single\"}")
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
        long campaign = bearer(write).body(Map.of("name", "Scoped " + System.nanoTime(), "subject", "Hi",
                        "fromEmail", "news@sender.test", "listIds", List.of(list),
                        "html", "<p>Hi</p><a href=\"{unsubscribeUrl}\">Leave</a>"))
                .post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
        bearer(write).body("{}").post("/api/campaigns/" + campaign + "/schedule").then().statusCode(403)
                .body("error", containsString("'send'"));
        bearer(write).body("{\"to\":\"x@example.test\"}").post("/api/campaigns/" + campaign + "/test")
                .then().statusCode(403);
        bearer(write).body("{\"to\":\"x@example.test\"}").post("/api/messages").then().statusCode(403);
        bearer(send).body("{}").post("/api/campaigns/" + campaign + "/schedule")
                .then().statusCode(not(equalTo(403)));
        bearer(send).body("{\"name\":\"By a sender\"}").post("/api/lists").then().statusCode(403);
    }

    @Test
    void aTokenCannotMakeAMorePowerfulOrLongerLivedToken() {
        String write = token("maker", "write");
        given().header("Authorization", "Bearer " + write).contentType("application/json")
                .body(Map.of("name", "escalated", "scopes", List.of("write", "send"))).post("/api/tokens")
                .then().statusCode(403).body("error", containsString("scopes it lacks"));
        Instant soon = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String expiring = create("expiring", List.of("write"), soon.toString()).then().statusCode(201)
                .body("expiresAt", notNullValue()).extract().jsonPath().getString("token");
        bearer(expiring).body(Map.of("name", "forever", "scopes", List.of("write"))).post("/api/tokens")
                .then().statusCode(403).body("error", containsString("outlives"));
        bearer(expiring).body(Map.of("name", "shorter", "scopes", List.of("write"),
                "expiresAt", soon.minusSeconds(60).toString())).post("/api/tokens").then().statusCode(201);
    }

    @Test
    void wrongTokenRequestsAreRefusedNamingTheField() {
        create("", List.of("read"), null).then().statusCode(400).body("field", equalTo("name"));
        create("x".repeat(101), List.of("read"), null).then().statusCode(400).body("field", equalTo("name"));
        create("bad\nname", List.of("read"), null).then().statusCode(400).body("field", equalTo("name"));
        create("no scopes", List.of(), null).then().statusCode(400).body("field", equalTo("scopes"));
        create("admin scope", List.of("admin"), null).then().statusCode(400).body("error", containsString("'admin'"));
        create("past", List.of("read"), "2020-01-01T00:00:00Z").then().statusCode(400)
                .body("field", equalTo("expiresAt"));
        create("garbled", List.of("read"), "tomorrow").then().statusCode(400).body("field", equalTo("expiresAt"));
        basic().body("{\"name\": 5, \"scopes\": \"read\"}").post("/api/tokens").then().statusCode(400);
        basic().body("not json").post("/api/tokens").then().statusCode(400);
        bearer("crt_" + "A".repeat(43)).get("/api/lists").then().statusCode(401);
        bearer("x".repeat(10_000)).get("/api/lists").then().statusCode(401);
        given().header("Authorization", "Digest abc").get("/api/lists").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
    }

    @Test
    void theTokenPageMakesATokenShowsItOnceAndRevokesIt() {
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/tokens");
        String name = "page token " + System.nanoTime();
        Response made = admin.post("/admin/tokens", Map.of("name", name, "scope", "read", "expires", ""));
        assertEquals(201, made.statusCode(), made.asString());
        String token = made.htmlPath().getString("**.find { it.@id == 'new-token-value' }.text()");
        assertTrue(token.startsWith("crt_"), token);
        bearer(token).get("/api/lists").then().statusCode(200);

        Response page = admin.open("/admin/tokens");
        assertFalse(page.asString().contains(token), "shown only on the page that made it");
        assertTrue(page.asString().contains(name));
        long id = basic().get("/api/tokens").then().extract().jsonPath()
                .getLong("find { it.name == '" + name + "' }.id");
        admin.post("/admin/tokens/" + id + "/revoke", Map.of()).then().statusCode(303);
        bearer(token).get("/api/lists").then().statusCode(401);

        Response noName = admin.post("/admin/tokens", Map.of("name", "", "scope", "read", "expires", ""));
        assertEquals(400, noName.statusCode());
        assertTrue(noName.asString().contains("name is required"), noName.asString());
        Response badDay = admin.post("/admin/tokens", Map.of("name", "x", "scope", "read", "expires", "31/12"));
        assertEquals(400, badDay.statusCode());
        assertTrue(badDay.asString().contains("choose the day"), badDay.asString());
    }

    @Test
    void anApiTokenOpensNoAdminPageAndASessionCookieOpensNoApiRoute() {
        String token = token("pages", "read");
        given().redirects().follow(false).header("Authorization", "Bearer " + token).get("/admin")
                .then().statusCode(302).header("Location", "/login");
        AdminBrowser admin = AdminBrowser.signIn();
        admin.request().get("/api/lists").then().statusCode(401);
    }

    @Transactional
    byte[][] stored(long id) {
        Object[] row = (Object[]) em.createNativeQuery("select token_hash, token_prefix from api_token where id = ?1")
                .setParameter(1, id).getSingleResult();
        assertNotNull(row[0]);
        return new byte[][]{(byte[]) row[0], row[1].toString().getBytes()};
    }

    static String token(String name, String... scopes) {
        return create(name + " " + System.nanoTime(), Arrays.asList(scopes), null).then().statusCode(201)
                .extract().jsonPath().getString("token");
    }

    static Response create(String name, List<String> scopes, String expiresAt) {
        StringBuilder body = new StringBuilder("{\"name\":").append(json(name)).append(",\"scopes\":[");
        for (int i = 0; i < scopes.size(); i++) {
            body.append(i > 0 ? "," : "").append(json(scopes.get(i)));
        }
        body.append("]");
        if (expiresAt != null) {
            body.append(",\"expiresAt\":").append(json(expiresAt));
        }
        return basic().body(body.append("}").toString()).post("/api/tokens");
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    static RequestSpecification basic() {
        return given().auth().preemptive().basic(ADMIN, PASSWORD).contentType("application/json");
    }

    static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json");
    }
}
