package io.carteiro.admin;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SignInTest {

    static final String ADMIN = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";

    @Test
    void anonymousAdminPageRedirectsToSignIn() {
        given().redirects().follow(false).when().get("/admin")
                .then().statusCode(302).header("Location", containsString("/login"));
    }

    @Test
    void signInWithRightPasswordOpensTheDashboardWithAHardenedCookie() {
        Response response = signIn(ADMIN, PASSWORD, "10.9.0.1");
        assertEquals(302, response.statusCode());
        assertTrue(response.header("Location").endsWith("/admin"), response.header("Location"));
        String setCookie = response.header("Set-Cookie");
        assertNotNull(setCookie);
        assertTrue(setCookie.toLowerCase().contains("httponly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("samesite=strict"), setCookie);
        given().cookie("carteiro-session", response.cookie("carteiro-session")).redirects().follow(false)
                .when().get("/admin").then().statusCode(200).body(containsString("Welcome, " + ADMIN));
    }

    @Test
    void sessionCookieIsSecureBehindATlsProxy() {
        Response response = given().redirects().follow(false).header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-For", "10.9.0.4")
                .formParam("j_username", ADMIN).formParam("j_password", PASSWORD)
                .post("/j_security_check");
        assertEquals(302, response.statusCode());
        assertTrue(response.header("Set-Cookie").contains("Secure"), response.header("Set-Cookie"));
    }

    @Test
    void wrongPasswordReturnsToTheSignInPageWithAnError() {
        Response response = signIn(ADMIN, "wrong", "10.9.0.2");
        assertEquals(302, response.statusCode());
        assertTrue(response.header("Location").contains("/login?error"), response.header("Location"));
    }

    @Test
    void apiAcceptsBasicAuthAndRefusesWrongPassword() {
        given().header("X-Forwarded-For", "10.9.0.5").auth().preemptive().basic(ADMIN, "wrong")
                .when().get("/api/admin-users").then().statusCode(401);
        given().when().get("/api/admin-users").then().statusCode(401);
        given().auth().preemptive().basic(ADMIN, PASSWORD).when().get("/api/admin-users").then().statusCode(200);
    }

    @Test
    void repeatedFailuresLockTheAccountEvenWithTheRightPassword() {
        String victim = "locked@carteiro.test";
        RestAssured.given().auth().preemptive().basic(ADMIN, PASSWORD).contentType("application/json")
                .body("{\"email\":\"" + victim + "\",\"password\":\"" + PASSWORD + "\"}")
                .post("/api/admin-users").then().statusCode(201);
        for (int i = 0; i < 5; i++) {
            given().header("X-Forwarded-For", "10.9.1." + i).auth().preemptive().basic(victim, "guess" + i)
                    .get("/api/admin-users").then().statusCode(401);
        }
        given().header("X-Forwarded-For", "10.9.1.99").auth().preemptive().basic(victim, PASSWORD)
                .get("/api/admin-users").then().statusCode(401);
    }

    @Test
    void repeatedFailuresFromOneIpLockThatIpForEveryAccount() {
        for (int i = 0; i < 20; i++) {
            given().header("X-Forwarded-For", "10.9.2.1").auth().preemptive().basic("nobody" + i + "@x.test", "guess")
                    .get("/api/admin-users").then().statusCode(401);
        }
        given().header("X-Forwarded-For", "10.9.2.1").auth().preemptive().basic(ADMIN, PASSWORD)
                .get("/api/admin-users").then().statusCode(401);
        given().header("X-Forwarded-For", "10.9.2.2").auth().preemptive().basic(ADMIN, PASSWORD)
                .get("/api/admin-users").then().statusCode(200);
    }

    @Test
    void signOutExpiresTheSessionCookie() {
        // Sign-out is a form POST and so needs the CSRF token of a page the admin opened.
        Response signedIn = signIn(ADMIN, PASSWORD, "10.9.0.3");
        String session = signedIn.cookie("carteiro-session");
        Response page = given().cookie("carteiro-session", session).get("/admin");
        String csrfCookie = page.cookie("csrf-token");
        String token = page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        given().cookie("carteiro-session", session).cookie("csrf-token", csrfCookie)
                .formParam("csrf-token", token).redirects().follow(false)
                .post("/admin/sign-out")
                .then().statusCode(303).header("Location", containsString("/login?signedOut"))
                .cookie("carteiro-session", equalTo(""));
    }

    static Response signIn(String email, String password, String forwardedFor) {
        return given().redirects().follow(false).header("X-Forwarded-For", forwardedFor)
                .formParam("j_username", email).formParam("j_password", password)
                .post("/j_security_check");
    }
}
