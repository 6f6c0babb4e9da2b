package io.carteiro.web;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class CsrfTest {

    @Test
    void formPostWithoutCsrfTokenIsRefusedEvenWhenSignedIn() {
        Response signedIn = given().redirects().follow(false).header("X-Forwarded-For", "10.8.0.1")
                .formParam("j_username", "admin@carteiro.test").formParam("j_password", "correct horse battery staple")
                .post("/j_security_check");
        String session = signedIn.cookie("carteiro-session");
        int status = given().cookie("carteiro-session", session).redirects().follow(false)
                .formParam("anything", "x").post("/admin/sign-out").statusCode();
        assertEquals(400, status, "a form POST without the CSRF token must be refused");
    }
}
