package io.carteiro.bounces;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.hasToString;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class BounceApiTest {

    static final String ADMIN = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";

    @Inject
    BounceRecorder recorder;

    @Inject
    BounceTestData data;

    @Test
    void bouncesByEmailShouldListKindSourceStatusAndTime() throws Exception {
        String email = data.uniqueEmail("api-bounce.example");
        long list = data.list();
        long subscriber = data.subscriber(email, list);
        long campaign = data.nextCampaignId();
        var sent = data.sent(subscriber, list, campaign, email, Instant.now());
        recorder.recordSynchronousRejection(sent.messageId(), 550, "5.1.1", "550 5.1.1 <" + email + ">: no such user");

        given().auth().preemptive().basic(ADMIN, PASSWORD).queryParam("email", email.toUpperCase())
                .when().get("/api/bounces")
                .then().statusCode(200).body("", hasSize(1))
                .body("[0].kind", equalTo("hard")).body("[0].source", equalTo("smtp"))
                .body("[0].statusCode", equalTo(550)).body("[0].enhancedStatus", equalTo("5.1.1"))
                .body("[0].campaignId", hasToString(String.valueOf(campaign)))
                .body("[0].diagnostic", containsString("no such user"))
                .body("[0].receivedAt", containsString("T"));
        assertEquals("bounced", data.string("select status from subscriber where id = " + subscriber));
    }

    @Test
    void bouncesWithoutOrWithABadEmailShouldBeA400NamingTheProblem() {
        given().auth().preemptive().basic(ADMIN, PASSWORD).when().get("/api/bounces")
                .then().statusCode(400).body("error", containsString("email"));
        given().auth().preemptive().basic(ADMIN, PASSWORD).queryParam("email", "not-an-address")
                .when().get("/api/bounces").then().statusCode(400).body("error", containsString("email"));
        given().queryParam("email", "a@b.example").when().get("/api/bounces").then().statusCode(401);
    }

    @Test
    void suppressionsShouldBeAddedListedAndRemoved() {
        String domain = "supp" + System.nanoTime() + ".example";
        int id = given().auth().preemptive().basic(ADMIN, PASSWORD).contentType(ContentType.JSON)
                .body("{\"kind\":\"domain\",\"value\":\"" + domain.toUpperCase() + "\",\"reason\":\"manual\",\"detail\":\"test\"}")
                .when().post("/api/suppressions")
                .then().statusCode(201).body("value", equalTo(domain)).body("reason", equalTo("manual"))
                .extract().path("id");
        given().auth().preemptive().basic(ADMIN, PASSWORD).queryParam("q", domain).when().get("/api/suppressions")
                .then().statusCode(200).body("", hasSize(1)).body("[0].kind", equalTo("domain"));
        given().auth().preemptive().basic(ADMIN, PASSWORD).when().delete("/api/suppressions/" + id)
                .then().statusCode(204);
        given().auth().preemptive().basic(ADMIN, PASSWORD).when().delete("/api/suppressions/" + id)
                .then().statusCode(404).body("error", containsString(String.valueOf(id)));
    }

    @Test
    void badSuppressionShouldBeA400AndStoreNothing() throws Exception {
        long before = data.count("select count(*) from suppression");
        given().auth().preemptive().basic(ADMIN, PASSWORD).contentType(ContentType.JSON)
                .body("{\"kind\":\"address\",\"value\":\"no at sign\"}").when().post("/api/suppressions")
                .then().statusCode(400).body("error", containsString("not an e-mail address"));
        given().auth().preemptive().basic(ADMIN, PASSWORD).contentType(ContentType.JSON)
                .body("{\"kind\":\"planet\",\"value\":\"x@y.example\"}").when().post("/api/suppressions")
                .then().statusCode(400).body("error", containsString("kind"));
        given().auth().preemptive().basic(ADMIN, PASSWORD).contentType(ContentType.JSON)
                .body("{\"kind\":\"address\",\"value\":\"x@y.example\",\"reason\":\"whim\"}").when()
                .post("/api/suppressions").then().statusCode(400).body("error", containsString("reason"));
        assertEquals(before, data.count("select count(*) from suppression"));
    }
}
