package io.carteiro.bounces;

import io.quarkus.test.junit.QuarkusTest;
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
}
