package io.carteiro.web;

import io.carteiro.unsubscribe.SignedLinks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 12.7: with a session cookie, {@code Content-Type: text/plain} erased a subscriber, deleted a list and a
 * suppression entry and signed out, because the CSRF check only looked at form posts; and
 * {@code POST /p/{token}/unsubscribe-all} with no body made the change, then answered 500.
 */
@QuarkusTest
class CsrfTest {

    static final String ADMIN = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";

    @Inject
    SignedLinks links;

    @Test
    void everyStateChangingAdminRouteRefusesAPlainTextPostWithAValidSession() {
        AdminBrowser admin = AdminBrowser.signIn();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (EveryRouteRequiresSignInTest.Route route : EveryRouteRequiresSignInTest.routes()) {
            if (!route.path().startsWith("/admin") || route.verb().equals("GET")) {
                continue;
            }
            String path = route.path().replaceAll("\\{[^}]+}", "1");
            int status = admin.request().contentType("text/plain").body("x").request(route.verb(), path).statusCode();
            // 415: a route that takes only forms refuses the body before any code of it runs
            if (status != 400 && status != 415) {
                problems.add(route + " answered " + status + " to a text/plain body without a token");
            }
            checked++;
        }
        assertTrue(checked > 10, "state-changing admin routes found: " + checked);
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @Test
    void plainTextPostsChangeNothing() {
        long list = api().body("{\"name\":\"Csrf target " + System.nanoTime() + "\",\"optIn\":\"single\"}")
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
        long subscriber = api().body("{\"email\":\"csrf-" + System.nanoTime() + "@example.test\"}")
                .post("/api/lists/" + list + "/subscribers").then().statusCode(201).extract().jsonPath().getLong("id");
        AdminBrowser admin = AdminBrowser.signIn();

        admin.request().contentType("text/plain").body("x").post("/admin/subscribers/" + subscriber + "/erase")
                .then().statusCode(400).body(containsString("CSRF"));
        admin.request().contentType("text/plain").body("x").post("/admin/lists/" + list + "/delete")
                .then().statusCode(400);
        admin.request().contentType("text/plain").body("x").post("/admin/sign-out").then().statusCode(400);

        api().get("/api/subscribers/" + subscriber).then().statusCode(200);
        api().get("/api/lists/" + list).then().statusCode(200);
        admin.request().get("/admin").then().statusCode(200);
    }

    @Test
    void formPostWithoutCsrfTokenIsRefusedEvenWhenSignedIn() {
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin");
        int status = admin.postWithoutToken("/admin/sign-out", Map.of("anything", "x")).statusCode();
        assertEquals(400, status, "a form POST without the CSRF token must be refused");
        admin.request().get("/admin").then().statusCode(200);
    }

    @Test
    void theTokenIsBoundToItsSession() {
        AdminBrowser first = AdminBrowser.signIn();
        AdminBrowser second = AdminBrowser.signIn();
        String firstToken = token(first.open("/admin"));
        String secondToken = token(second.open("/admin"));
        assertTrue(!firstToken.equals(secondToken), "two sessions, two tokens");
        second.request().formParam("csrf-token", firstToken).post("/admin/sign-out").then().statusCode(400);
        second.request().header("X-CSRF-TOKEN", firstToken).contentType("application/json").body("{}")
                .post("/admin/sign-out").then().statusCode(400);
        second.request().get("/admin").then().statusCode(200);
        // the header is how htmx sends it, whatever the body
        second.request().header("X-CSRF-TOKEN", secondToken).contentType("text/plain").body("x")
                .post("/admin/sign-out").then().statusCode(303);
    }

    @Test
    void unsubscribeAllWithNoBodyIsRefusedAndChangesNothing() {
        long list = api().body("{\"name\":\"Csrf public " + System.nanoTime() + "\",\"optIn\":\"single\"}")
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
        long subscriber = api().body("{\"email\":\"csrf-public-" + System.nanoTime() + "@example.test\"}")
                .post("/api/lists/" + list + "/subscribers").then().statusCode(201).extract().jsonPath().getLong("id");
        String path = links.preferencesUrl(subscriber).replaceFirst("^https?://[^/]+", "");

        given().redirects().follow(false).post(path + "/unsubscribe-all").then().statusCode(400);
        given().redirects().follow(false).contentType("text/plain").body("x").post(path + "/unsubscribe-all")
                .then().statusCode(400);
        String status = api().get("/api/subscribers/" + subscriber).then().statusCode(200).extract().jsonPath()
                .getString("subscriptions[0].status");
        assertEquals("confirmed", status.toLowerCase());

        Response page = given().get(path);
        String cookie = page.cookie("csrf-token");
        given().cookie("csrf-token", cookie).formParam("csrf-token", token(page)).post(path + "/unsubscribe-all")
                .then().statusCode(200);
        String after = api().get("/api/subscribers/" + subscriber).then().extract().jsonPath()
                .getString("subscriptions[0].status");
        assertEquals("unsubscribed", after.toLowerCase());
    }

    private static String token(Response page) {
        return page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
    }

    private static RequestSpecification api() {
        return given().auth().preemptive().basic(ADMIN, PASSWORD).contentType("application/json");
    }
}
