package io.carteiro.web;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** A signed-in admin driving the pages over HTTP: keeps the session cookie and the CSRF token of the last page. */
public final class AdminBrowser {

    private final String session;
    private String csrfCookie;
    private String csrfToken;

    private AdminBrowser(String session) {
        this.session = session;
    }

    public static AdminBrowser signIn() {
        Response response = given().redirects().follow(false).header("X-Forwarded-For", "10.77.0.1")
                .formParam("j_username", "admin@carteiro.test")
                .formParam("j_password", "correct horse battery staple")
                .post("/j_security_check");
        return new AdminBrowser(response.cookie("carteiro-session"));
    }

    /** The session cookie's value, for requests written by hand. */
    public String sessionCookie() {
        return session;
    }

    public RequestSpecification request() {
        RequestSpecification request = given().redirects().follow(false).cookie("carteiro-session", session);
        if (csrfCookie != null) {
            request.cookie("csrf-token", csrfCookie);
        }
        return request;
    }

    /** Opens a page and remembers its CSRF token for the next post. */
    public Response open(String path) {
        return open(path, null);
    }

    public Response open(String path, String flashCookie) {
        RequestSpecification request = request();
        if (flashCookie != null) {
            request.cookie(Flash.COOKIE, flashCookie);
        }
        Response page = request.get(path);
        if (page.cookie("csrf-token") != null) {
            csrfCookie = page.cookie("csrf-token");
        }
        if (page.contentType() != null && page.contentType().startsWith("text/html")) {
            String token = page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
            if (token != null && !token.isEmpty()) {
                csrfToken = token;
            }
        }
        return page;
    }

    /** Posts a form with the CSRF token of the page opened last. */
    public Response post(String path, Map<String, ?> fields) {
        return request().formParams(fields).formParam("csrf-token", csrfToken).post(path);
    }

    /** Posts a form without any CSRF token. */
    public Response postWithoutToken(String path, Map<String, ?> fields) {
        return request().formParams(fields).post(path);
    }
}
