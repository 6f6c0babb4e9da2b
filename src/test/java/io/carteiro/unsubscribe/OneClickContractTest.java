package io.carteiro.unsubscribe;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract across features, through the API only: the HTTPS URL in a campaign message's {@code List-Unsubscribe}
 * header takes the RFC 8058 POST, and afterwards {@code GET /api/subscribers?email=…} shows the subscription as
 * unsubscribed.
 */
@QuarkusTest
class OneClickContractTest {

    static final Pattern HTTPS_URL = Pattern.compile("<(https?://[^>]+)>");

    static RequestSpecification api() {
        return given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                .contentType("application/json");
    }

    @Test
    void oneClickPostOnTheListUnsubscribeUrlShowsAsUnsubscribedInTheSubscribersApi() {
        String email = Fixtures.uniqueEmail("contract");
        long list = api().body(Map.of("name", "Contract " + email, "optIn", "single", "fromEmail", "news@example.org"))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
        long subscriber = api().body(Map.of("email", email)).post("/api/lists/" + list + "/subscribers")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long campaign = api().body(Map.of("name", "Contract " + email, "subject", "News", "fromEmail",
                        "news@example.org", "listIds", List.of(list),
                        "html", "<p>News</p><p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>", "text", ""))
                .post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
        Map<String, String> headers = api().get("/api/campaigns/" + campaign + "/preview?subscriberId=" + subscriber)
                .then().statusCode(200).extract().jsonPath().getMap("headers");
        assertTrue(headers.get("List-Unsubscribe-Post").equals("List-Unsubscribe=One-Click"), headers.toString());
        Matcher url = HTTPS_URL.matcher(headers.get("List-Unsubscribe"));
        assertTrue(url.find(), headers.get("List-Unsubscribe"));
        String path = url.group(1).replaceFirst("^https?://[^/]+", "");

        given().contentType("application/x-www-form-urlencoded").body("List-Unsubscribe=One-Click").post(path)
                .then().statusCode(200);

        api().queryParam("email", email).get("/api/subscribers").then().statusCode(200)
                .body("[0].subscriptions.find { it.listId == " + list + " }.status", equalTo("unsubscribed"));
    }
}
