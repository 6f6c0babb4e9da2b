package io.carteiro.admin;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12.3: a cookie saved before sign-out still got 200. Sessions are rows now: sign-out, a password change and
 * removing the account end every session of the account, and a saved cookie is then nobody.
 */
@QuarkusTest
class SessionRevocationTest {

    static final String NEW_PASSWORD = "a brand new password 42";

    @Test
    void signOutEndsEverySessionOfTheAccountIncludingSavedCopies() {
        String email = account("signout");
        Page laptop = Page.signIn(email, SignInTest.PASSWORD, "10.31.0.1");
        Page phone = Page.signIn(email, SignInTest.PASSWORD, "10.31.0.2");
        String saved = laptop.session;
        laptop.get("/admin").then().statusCode(200);
        phone.get("/admin").then().statusCode(200);

        laptop.post("/admin/sign-out", Map.of()).then().statusCode(303).header("Location", "/login?signedOut=true");

        assertSignedOut(saved);
        assertSignedOut(phone.session);
    }

    @Test
    void aPasswordChangeEndsTheOtherSessionsAndKeepsThisBrowserSignedIn() {
        String email = account("password");
        Page laptop = Page.signIn(email, SignInTest.PASSWORD, "10.31.1.1");
        Page phone = Page.signIn(email, SignInTest.PASSWORD, "10.31.1.2");
        String before = laptop.session;
        laptop.get("/admin/account").then().statusCode(200).body(containsString("2 sessions"));

        Response wrong = laptop.post("/admin/account/password",
                Map.of("current", "not it", "password", NEW_PASSWORD, "repeat", NEW_PASSWORD));
        assertEquals(400, wrong.statusCode());
        assertTrue(wrong.asString().contains("not your current password"));
        laptop.post("/admin/account/password", Map.of("current", SignInTest.PASSWORD, "password", "short",
                "repeat", "short")).then().statusCode(400).body(containsString("at least 12"));

        Response changed = laptop.post("/admin/account/password",
                Map.of("current", SignInTest.PASSWORD, "password", NEW_PASSWORD, "repeat", NEW_PASSWORD));
        assertEquals(303, changed.statusCode(), changed.asString());
        String fresh = changed.cookie(AdminSessions.COOKIE);
        assertSignedOut(before);
        assertSignedOut(phone.session);
        given().cookie(AdminSessions.COOKIE, fresh).get("/admin/account").then().statusCode(200)
                .body(containsString("1 session"));

        assertEquals("/login?error=true", SignInTest.signIn(email, SignInTest.PASSWORD, "10.31.1.3")
                .header("Location"), "the old password");
        assertEquals("/admin", SignInTest.signIn(email, NEW_PASSWORD, "10.31.1.4").header("Location"));
    }

    @Test
    void removingAnAccountEndsItsSessionsAndTokens() {
        String email = account("removed");
        Page session = Page.signIn(email, SignInTest.PASSWORD, "10.31.2.1");
        String token = given().auth().preemptive().basic(email, SignInTest.PASSWORD).contentType("application/json")
                .body("{\"name\":\"doomed\",\"scopes\":[\"read\"]}").post("/api/tokens").then().statusCode(201)
                .extract().jsonPath().getString("token");
        given().header("Authorization", "Bearer " + token).get("/api/lists").then().statusCode(200);
        long id = ApiTokensTest.basic().get("/api/admin-users").then().extract().jsonPath()
                .getLong("find { it.email == '" + email + "' }.id");

        ApiTokensTest.basic().delete("/api/admin-users/" + id).then().statusCode(204);

        assertSignedOut(session.session);
        given().header("Authorization", "Bearer " + token).get("/api/lists").then().statusCode(401);
        ApiTokensTest.basic().delete("/api/admin-users/" + id).then().statusCode(404);
    }

    @Test
    void anAdminCannotRemoveThemselves() {
        String email = account("self");
        long id = ApiTokensTest.basic().get("/api/admin-users").then().extract().jsonPath()
                .getLong("find { it.email == '" + email + "' }.id");
        given().auth().preemptive().basic(email, SignInTest.PASSWORD).delete("/api/admin-users/" + id)
                .then().statusCode(409);
        Page page = Page.signIn(email, SignInTest.PASSWORD, "10.31.3.1");
        page.post("/admin/accounts/" + id + "/remove", Map.of()).then().statusCode(303);
        page.get("/admin").then().statusCode(200);
    }

    @Test
    void theAccountsPageAddsAndRemovesAdmins() {
        Page admin = Page.signIn(SignInTest.ADMIN, SignInTest.PASSWORD, "10.31.4.1");
        String email = "added-" + System.nanoTime() + "@carteiro.test";
        admin.post("/admin/accounts", Map.of("email", email, "password", "short")).then().statusCode(400)
                .body(containsString("at least 12"));
        admin.post("/admin/accounts", Map.of("email", email, "password", SignInTest.PASSWORD)).then().statusCode(303);
        Page added = Page.signIn(email, SignInTest.PASSWORD, "10.31.4.2");
        added.get("/admin").then().statusCode(200);
        long id = ApiTokensTest.basic().get("/api/admin-users").then().extract().jsonPath()
                .getLong("find { it.email == '" + email + "' }.id");
        admin.post("/admin/accounts/" + id + "/remove", Map.of()).then().statusCode(303);
        assertSignedOut(added.session);
    }

    static void assertSignedOut(String cookie) {
        given().cookie(AdminSessions.COOKIE, cookie).redirects().follow(false).get("/admin")
                .then().statusCode(302).header("Location", "/login");
    }

    static String account(String name) {
        String email = name + "-" + System.nanoTime() + "@carteiro.test";
        SignInTest.createAccount(email);
        return email;
    }

    /** A browser signed in as someone: its session cookie and the CSRF token its pages carry. */
    record Page(String session, String csrf) {
        static Page signIn(String email, String password, String address) {
            Response response = SignInTest.signIn(email, password, address);
            assertEquals("/admin", response.header("Location"));
            String session = response.cookie(AdminSessions.COOKIE);
            String csrf = given().cookie(AdminSessions.COOKIE, session).get("/admin").htmlPath()
                    .getString("**.find { it.@name == 'csrf-token' }.@value");
            return new Page(session, csrf);
        }

        Response get(String path) {
            return given().cookie(AdminSessions.COOKIE, session).redirects().follow(false).get(path);
        }

        Response post(String path, Map<String, String> form) {
            return given().cookie(AdminSessions.COOKIE, session).redirects().follow(false).formParams(form)
                    .formParam("csrf-token", csrf).post(path);
        }
    }
}
