package io.carteiro.web;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Issue 12.11: {@code Host: evil.test} gave {@code Location: http://evil.test/login}. */
@QuarkusTest
class HostHeaderTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void theSignInRedirectDoesNotNameTheHostTheClientSent() throws IOException {
        RawHttp.Answer answer = RawHttp.send(base.getPort(), RawHttp.get("/admin", "Host: evil.test"));
        assertEquals(302, answer.status());
        assertEquals("/login", answer.header("Location"));
        assertFalse(answer.head().contains("evil.test"), answer.head());
    }

    @Test
    void redirectsAfterAFormDoNotNameTheHostTheClientSent() throws IOException {
        AdminBrowser admin = AdminBrowser.signIn();
        Response form = admin.open("/admin/lists/new");
        String token = form.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        String body = "csrf-token=" + enc(token) + "&name=" + enc("Host header " + System.nanoTime())
                + "&optIn=single";
        RawHttp.Answer answer = RawHttp.send(base.getPort(), "POST /admin/lists HTTP/1.1\r\n"
                + "Host: evil.test\r\nCookie: carteiro-session=" + admin.sessionCookie() + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n\r\n" + body);
        assertEquals(303, answer.status(), answer.head());
        String location = answer.header("Location");
        assertFalse(location.contains("evil.test"), location);
        assertEquals('/', location.charAt(0), location);
        assertFalse(answer.head().contains("evil.test"), answer.head());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
