package io.carteiro.web;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 12.12: {@code GET /admin;x} without sign-in held the connection for 65 s and logged a 200-line stack
 * trace. Every path with a matrix parameter, raw or percent-encoded, is answered 404 at once (the raw client gives
 * up after 30 s, so a hang fails the test).
 */
@QuarkusTest
class MatrixPathTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void pathsWithSemicolonsAreNotFoundAtOnce() throws IOException {
        for (String path : new String[]{"/admin;x", "/admin;jsessionid=1/lists", "/admin%3bx", "/admin%3Bx",
                "/api;x/lists", "/login;x", "/p;x/token", "/static/carteiro.css;x"}) {
            RawHttp.Answer answer = RawHttp.send(base.getPort(), RawHttp.get(path, "Host: localhost"));
            assertEquals(404, answer.status(), path + ": " + answer.head());
        }
    }

    @Test
    void theSamePathsWithoutSemicolonsStillWork() throws IOException {
        assertEquals(302, RawHttp.send(base.getPort(), RawHttp.get("/admin", "Host: localhost")).status());
        assertEquals(200, RawHttp.send(base.getPort(), RawHttp.get("/static/carteiro.css", "Host: localhost"))
                .status());
    }
}
