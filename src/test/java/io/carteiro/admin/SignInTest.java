package io.carteiro.admin;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SignInTest {

    static final String ADMIN = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void anonymousAdminPageRedirectsToSignIn() {
        given().redirects().follow(false).when().get("/admin")
                .then().statusCode(302).header("Location", "/login");
    }

    @Test
    void signInWithRightPasswordOpensTheDashboardWithAHardenedCookie() {
        Response response = signIn(ADMIN, PASSWORD, "10.9.0.1");
        assertEquals(302, response.statusCode());
        assertEquals("/admin", response.header("Location"));
        String setCookie = response.header("Set-Cookie");
        assertNotNull(setCookie);
        assertTrue(setCookie.toLowerCase().contains("httponly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("samesite=strict"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain HTTP from a client: " + setCookie);
        given().cookie(AdminSessions.COOKIE, response.cookie(AdminSessions.COOKIE)).redirects().follow(false)
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
    void aMadeUpSessionCookieIsNobody() {
        given().cookie(AdminSessions.COOKIE, "A".repeat(43)).redirects().follow(false).get("/admin")
                .then().statusCode(302).header("Location", "/login");
        given().cookie(AdminSessions.COOKIE, "not even the right length").redirects().follow(false).get("/login")
                .then().statusCode(200);
    }

    @Test
    void wrongPasswordReturnsToTheSignInPageWithAnError() {
        Response response = signIn(ADMIN, "wrong", "10.9.0.2");
        assertEquals(302, response.statusCode());
        assertEquals("/login?error=true", response.header("Location"));
        given().get("/login?error=true").then().statusCode(200).body(containsString("Wrong e-mail or password"));
    }

    @Test
    void aSignInFormPostedFromAnotherSiteIsRefused() {
        given().redirects().follow(false).header("Origin", "https://evil.test").header("X-Forwarded-For", "10.9.0.6")
                .formParam("j_username", ADMIN).formParam("j_password", PASSWORD).post("/j_security_check")
                .then().statusCode(403).header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        given().redirects().follow(false).header("Sec-Fetch-Site", "cross-site").header("X-Forwarded-For", "10.9.0.6")
                .formParam("j_username", ADMIN).formParam("j_password", PASSWORD).post("/j_security_check")
                .then().statusCode(403);
    }

    @Test
    void apiAcceptsBasicAuthAndRefusesWrongPassword() {
        given().header("X-Forwarded-For", "10.9.0.5").auth().preemptive().basic(ADMIN, "wrong")
                .when().get("/api/admin-users").then().statusCode(401);
        given().when().get("/api/admin-users").then().statusCode(401);
        given().auth().preemptive().basic(ADMIN, PASSWORD).when().get("/api/admin-users").then().statusCode(200);
    }

    /**
     * Issue 12.4: five wrong passwords from anywhere used to lock the account for 15 minutes. Now fifty failures from
     * one address slow that address down, and the owner signs in from another at once.
     */
    @Test
    void fiftyFailuresFromOneAddressDoNotStopTheOwnerSigningInFromAnother() {
        String owner = "owner-" + System.nanoTime() + "@carteiro.test";
        createAccount(owner);
        for (int i = 0; i < 50; i++) {
            Response failed = signIn(owner, "guess " + i, "10.9.1.1");
            assertTrue(failed.header("Location").startsWith("/login?error="), failed.header("Location"));
        }
        Response stillThrottled = signIn(owner, PASSWORD, "10.9.1.1");
        assertTrue(stillThrottled.header("Location").startsWith("/login?error=throttled"),
                "the guessing address waits even with the right password: " + stillThrottled.header("Location"));

        Response owners = signIn(owner, PASSWORD, "10.9.1.2");
        assertEquals("/admin", owners.header("Location"));
        given().cookie(AdminSessions.COOKIE, owners.cookie(AdminSessions.COOKIE)).get("/admin")
                .then().statusCode(200).body(containsString("Welcome, " + owner));
        given().header("X-Forwarded-For", "10.9.1.3").auth().preemptive().basic(owner, PASSWORD)
                .get("/api/admin-users").then().statusCode(200);
    }

    @Test
    void theFirstFailuresCostNothingThenTheWaitGrows() {
        String user = "slow-" + System.nanoTime() + "@carteiro.test";
        createAccount(user);
        for (int i = 0; i < 5; i++) {
            assertEquals("/login?error=true", signIn(user, "guess " + i, "10.9.3.1").header("Location"));
        }
        assertEquals("/login?error=true", signIn(user, "guess 5", "10.9.3.1").header("Location"),
                "the sixth failure is still checked, and starts the wait");
        assertTrue(signIn(user, PASSWORD, "10.9.3.1").header("Location").startsWith("/login?error=throttled"));
        given().get("/login?error=throttled&wait=1").then().body(containsString("wait 1 minute"));
    }

    /**
     * A guessing script fires in parallel: the first failures of a new address all arrive before any is counted. Each
     * is answered as a refused sign-in (never a 5xx from two inserts of one counter) and each is counted.
     */
    @Test
    void failuresFiredInParallelAreEachAnsweredAndCounted() throws Exception {
        String user = "parallel-" + System.nanoTime() + "@carteiro.test";
        createAccount(user);
        int attempts = 20;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String guess = "guess " + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return signIn(user, guess, "10.9.5.1");
                }));
            }
            start.countDown();
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                assertEquals(302, response.statusCode(), response.asString());
                assertTrue(response.header("Location").startsWith("/login?error="), response.header("Location"));
            }
        } finally {
            pool.shutdownNow();
        }
        // 20 failures of the pair, 5 of them free: the wait has reached its ceiling of 15 minutes
        assertEquals("/login?error=throttled&wait=15", signIn(user, PASSWORD, "10.9.5.1").header("Location"));
    }

    @Test
    void manyAccountsTriedFromOneAddressSlowThatAddressForEveryAccount() {
        for (int i = 0; i < 25; i++) {
            given().header("X-Forwarded-For", "10.9.2.1").auth().preemptive().basic("nobody" + i + "@x.test", "guess")
                    .get("/api/admin-users").then().statusCode(401);
        }
        given().header("X-Forwarded-For", "10.9.2.1").auth().preemptive().basic(ADMIN, PASSWORD)
                .get("/api/admin-users").then().statusCode(401);
        given().header("X-Forwarded-For", "10.9.2.2").auth().preemptive().basic(ADMIN, PASSWORD)
                .get("/api/admin-users").then().statusCode(200);
    }

    /**
     * Issue 12.5: a missing account answered in 16 ms, an existing one in 350 ms (bcrypt). A missing account now costs
     * one bcrypt check of a dummy hash, counted by the same meter as a real check.
     */
    @Test
    void aMissingAccountCostsTheSameBcryptCheckAsAWrongPassword() {
        double before = hashChecks();
        signIn("nobody-" + System.nanoTime() + "@carteiro.test", "some password", "10.9.4.1");
        double afterMissing = hashChecks();
        signIn(ADMIN, "a wrong password " + System.nanoTime(), "10.9.4.2");
        double afterWrong = hashChecks();
        assertEquals(1.0, afterMissing - before, "bcrypt checks for a missing account");
        assertEquals(1.0, afterWrong - afterMissing, "bcrypt checks for an existing account's wrong password");
    }

    private double hashChecks() {
        String text = given().get(metrics).then().statusCode(200).extract().asString();
        for (String line : text.split("\n")) {
            if (line.startsWith("carteiro_sign_in_hash_checks_seconds_count")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    static void createAccount(String email) {
        given().auth().preemptive().basic(ADMIN, PASSWORD).contentType("application/json")
                .body("{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}")
                .post("/api/admin-users").then().statusCode(201);
    }

    static Response signIn(String email, String password, String forwardedFor) {
        return given().redirects().follow(false).header("X-Forwarded-For", forwardedFor)
                .formParam("j_username", email).formParam("j_password", password)
                .post("/j_security_check");
    }
}
