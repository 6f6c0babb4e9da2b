package io.carteiro.web;

import io.carteiro.unsubscribe.SignedLinks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 12.14: no page sent a Content-Security-Policy, nosniff, a Referrer-Policy or HSTS. */
@QuarkusTest
class SecurityHeadersTest {

    static final String ADMIN = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";

    @Inject
    SignedLinks links;

    @Test
    void everyKindOfPageForbidsInlineCodeAndFraming() {
        AdminBrowser admin = AdminBrowser.signIn();
        long list = given().auth().preemptive().basic(ADMIN, PASSWORD).contentType("application/json")
                .body("{\"name\":\"Headers " + System.nanoTime() + "\",\"optIn\":\"single\"}").post("/api/lists")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        Response[] pages = {admin.request().get("/admin"), admin.request().get("/admin/lists"), given().get("/login"),
                given().get("/p/not.a.token"), given().get("/subscribe/" + list), given().get("/static/carteiro.css"),
                given().redirects().follow(false).get("/admin")};
        for (Response page : pages) {
            String csp = page.header("Content-Security-Policy");
            assertNotNull(csp, "a page without a CSP");
            assertFalse(csp.contains("unsafe-inline"), csp);
            assertFalse(csp.contains("unsafe-eval"), csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), csp);
            assertTrue(csp.contains("script-src 'self'"), csp);
            assertTrue(csp.contains("style-src 'self'"), csp);
            assertEquals("nosniff", page.header("X-Content-Type-Options"));
            assertEquals("DENY", page.header("X-Frame-Options"));
        }
        assertEquals("no-store", admin.request().get("/admin").header("Cache-Control"));
    }

    @Test
    void pagesWithLinkTokensSendNoReferrer() {
        for (String path : new String[]{links.preferencesUrl(1), "/u/some.token", "/confirm/some.token"}) {
            String relative = path.replaceFirst("^https?://[^/]+", "");
            assertEquals("no-referrer", given().get(relative).header("Referrer-Policy"), relative);
        }
        assertEquals("same-origin", given().get("/login").header("Referrer-Policy"));
    }

    @Test
    void hstsOnlyWhenTheRequestCameOverTls() {
        assertNull(given().get("/login").header("Strict-Transport-Security"), "plain HTTP");
        // a trusted proxy (loopback, in the test profile) that terminated TLS
        String hsts = given().header("X-Forwarded-Proto", "https").get("/login").header("Strict-Transport-Security");
        assertEquals("max-age=31536000", hsts);
    }
}
