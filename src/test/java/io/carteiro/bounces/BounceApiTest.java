package io.carteiro.bounces;

import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.TestSmtpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.hasToString;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@TestProfile(BounceNetwork.class)
class BounceApiTest {

    static final String ADMIN = BounceTestData.ADMIN;
    static final String PASSWORD = BounceTestData.PASSWORD;

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    BounceTestData data;

    @BeforeEach
    void network() {
        data.on(dns, ports);
    }

    @Test
    void bouncesByEmailShouldListKindSourceStatusAndTime() {
        String email = data.uniqueEmail(data.domain("api-bounce", TestSmtpServer.Behaviour.REJECT_RECIPIENT));
        long list = data.list();
        long subscriber = data.subscriber(email, list);
        long campaign = data.sendCampaign(list).get(email).campaignId();

        given().auth().preemptive().basic(ADMIN, PASSWORD).queryParam("email", email.toUpperCase())
                .when().get("/api/bounces")
                .then().statusCode(200).body("", hasSize(1))
                .body("[0].kind", equalTo("hard")).body("[0].source", equalTo("smtp"))
                .body("[0].statusCode", equalTo(550)).body("[0].enhancedStatus", equalTo("5.1.1"))
                .body("[0].campaignId", hasToString(String.valueOf(campaign)))
                .body("[0].diagnostic", containsString("No such user"))
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
