package io.carteiro.delivery;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin sees the queue, each message's log, the sending identity, and can generate DKIM keys. */
@QuarkusTest
class DeliveryPagesTest {

    @Inject
    MailQueue queue;

    static String session() {
        Response response = given().redirects().follow(false).header("X-Forwarded-For", "10.9.3.1")
                .formParam("j_username", "admin@carteiro.test")
                .formParam("j_password", "correct horse battery staple").post("/j_security_check");
        return response.cookie("carteiro-session");
    }

    @Test
    void queuePageShouldListMessagesAndLinkToTheirLog() {
        long id = QuarkusTransaction.requiringNew().call(() -> queue.submit(new OutgoingMail("news@sender.test",
                "page-reader@example.test", "Hello", null, "hi", Map.of(), null, null)));
        String cookie = session();
        given().cookie("carteiro-session", cookie).when().get("/admin/delivery")
                .then().statusCode(200).body(containsString("/admin/delivery/messages/" + id))
                .body(containsString("page-reader@example.test"));
        given().cookie("carteiro-session", cookie).when().get("/admin/delivery/messages/" + id)
                .then().statusCode(200).body(containsString("No attempt yet"));
    }

    @Test
    void settingsPageShouldGenerateAKeyAndShowItsDnsRecord() {
        String cookie = session();
        Response page = given().cookie("carteiro-session", cookie).when().get("/admin/delivery/settings");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().asString().contains("bounces.carteiro.test"));
        Matcher csrf = Pattern.compile("name=\"([^\"]+)\" value=\"([^\"]+)\"").matcher(page.body().asString());
        assertTrue(csrf.find(), "the form carries a CSRF token");
        String domain = "pages" + System.nanoTime() % 1000000 + ".test";

        given().cookie("carteiro-session", cookie).cookies(page.cookies()).redirects().follow(false)
                .formParam(csrf.group(1), csrf.group(2)).formParam("domain", domain)
                .formParam("algorithm", "ed25519-sha256").formParam("selector", "")
                .when().post("/admin/delivery/settings/dkim").then().statusCode(303);
        given().cookie("carteiro-session", cookie).when().get("/admin/delivery/settings")
                .then().statusCode(200).body(containsString("._domainkey." + domain))
                .body(containsString("v=DKIM1; k=ed25519; p="))
                .body(containsString("waiting for its record"))
                .body(containsString("not used for signing until the TXT record above is published"));

        given().cookie("carteiro-session", cookie).cookies(page.cookies())
                .formParam(csrf.group(1), csrf.group(2)).formParam("domain", "no domain")
                .formParam("algorithm", "rsa-sha256")
                .when().post("/admin/delivery/settings/dkim").then().statusCode(400)
                .body(containsString("is not a domain"));
    }
}
