package io.carteiro.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** POST /api/messages queues a transactional message; GET /api/messages/{id} shows its state and attempts. */
@QuarkusTest
@TestProfile(LoopbackNetwork.class)
class MessagesApiTest {

    static final String USER = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @jakarta.inject.Inject
    DeliveryTestSupport support;

    @Test
    void postedMessageShouldBeQueuedDeliveredAndShowItsAttempts() throws IOException {
        String domain = "api" + System.nanoTime() % 1000000 + ".test";
        try (TestSmtpServer server = TestSmtpServer.start(ports.nextAddress(), ports.port(),
                TestSmtpServer.Behaviour.ACCEPT)) {
            dns.mx(domain, 10, "mx." + domain).a("mx." + domain, server.address());
            Number id = given().auth().preemptive().basic(USER, PASSWORD).contentType("application/json")
                    .body(Map.of("from", "App <app@sender.test>", "to", "ana@" + domain, "subject", "Your code",
                            "text", "1234", "headers", Map.of("X-Campaign", "welcome")))
                    .when().post("/api/messages")
                    .then().statusCode(202).extract().path("id");

            given().auth().preemptive().basic(USER, PASSWORD).when().get("/api/messages/" + id)
                    .then().statusCode(200).body("state", equalTo("queued")).body("attempts", hasSize(0));

            assertEquals("sent", support.deliver(id.longValue()));

            given().auth().preemptive().basic(USER, PASSWORD).when().get("/api/messages/" + id)
                    .then().statusCode(200)
                    .body("state", equalTo("sent"))
                    .body("attempts", hasSize(1))
                    .body("attempts[0].code", equalTo(250))
                    .body("attempts[0].outcome", equalTo("delivered"))
                    .body("attempts[0].command", equalTo("end of DATA"))
                    .body("attempts[0].reply", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()))
                    .body("attempts[0].exchanger", equalTo("mx." + domain));
            assertEquals(1, server.received().size());
        }
    }

    @Test
    void badMessageShouldBeRefusedWithTheReason() {
        given().auth().preemptive().basic(USER, PASSWORD).contentType("application/json")
                .body(Map.of("from", "app@sender.test", "to", "not-an-address", "subject", "x", "text", "y"))
                .when().post("/api/messages")
                .then().statusCode(400).body("error", containsString("not-an-address"));
        given().auth().preemptive().basic(USER, PASSWORD).contentType("application/json")
                .body(Map.of("from", "app@sender.test", "to", "a@example.test", "subject", "x"))
                .when().post("/api/messages")
                .then().statusCode(400).body("error", containsString("html nor text"));
    }

    @Test
    void unknownMessageShouldBe404AndTheApiShouldNeedSignIn() {
        given().auth().preemptive().basic(USER, PASSWORD).when().get("/api/messages/999999999")
                .then().statusCode(404).body("error", containsString("999999999"));
        given().when().get("/api/messages/1").then().statusCode(401);
    }
}
