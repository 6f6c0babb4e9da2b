package io.carteiro.unsubscribe;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unsubscribe links: the page, the POST, RFC 8058 one-click, and every kind of bad token; asserted on the
 * subscription rows ({@link OneClickContractTest} checks the same through the subscribers API).
 */
@QuarkusTest
class UnsubscribeFlowTest {

    @Inject
    Fixtures fixtures;

    @Inject
    SignedLinks links;

    record Subscribed(long list, long subscriber, String path) {
    }

    Subscribed subscribed(String who) {
        long list = fixtures.list("Letters", "double", true, null);
        long id = fixtures.subscriber(Fixtures.uniqueEmail(who), list, "confirmed");
        String url = links.unsubscribeUrl(id, list, 31L);
        assertTrue(url.startsWith("http://localhost:8080/u/"), url);
        return new Subscribed(list, id, url.substring("http://localhost:8080".length()));
    }

    @Test
    void getShouldShowOneButtonWithListAndSenderAndNeverUnsubscribe() {
        Subscribed s = subscribed("get");
        for (int i = 0; i < 3; i++) {
            given().get(s.path()).then().statusCode(200)
                    .body(containsString("Example News"))
                    .body(containsString("Letters"))
                    .body(containsString("id=\"unsubscribe\""));
        }
        given().head(s.path()).then().statusCode(200);
        assertEquals("confirmed", fixtures.status(s.list(), s.subscriber()));
        assertTrue(fixtures.events(s.subscriber()).isEmpty());
    }

    @Test
    void oneClickPostShouldUnsubscribeAndAnswer200WithoutAPage() {
        Subscribed s = subscribed("oneclick");
        given().contentType("application/x-www-form-urlencoded").body("List-Unsubscribe=One-Click")
                .header("X-Forwarded-For", "10.2.1.1").post(s.path())
                .then().statusCode(200).contentType(containsString("text/plain"));
        List<Object> row = fixtures.subscription(s.list(), s.subscriber(),
                "status, unsubscribe_method, unsubscribed_at");
        assertEquals("unsubscribed", row.get(0));
        assertEquals("one-click", row.get(1));
        assertNotNull(row.get(2));
        assertEquals(List.of(1L), List.of(fixtures.count("""
                select count(*) from subscription where subscriber_id = :p
                   and abs(timestampdiff(second, unsubscribed_at, utc_timestamp(6))) < 120""", s.subscriber())),
                "unsubscribed_at is stored in UTC like every other time");
        assertEquals(List.of("unsubscribed one-click, campaign 31"), fixtures.events(s.subscriber()));
    }

    @Test
    void oneClickPostShouldAlsoBeAcceptedAsMultipart() {
        Subscribed s = subscribed("multipart");
        given().multiPart("List-Unsubscribe", "One-Click").post(s.path()).then().statusCode(200);
        assertEquals("unsubscribed", fixtures.status(s.list(), s.subscriber()));
    }

    @Test
    void postWithoutTheOneClickBodyShouldChangeNothing() {
        Subscribed s = subscribed("nobody");
        given().post(s.path()).then().statusCode(400).body(containsString("List-Unsubscribe=One-Click"));
        given().contentType("application/x-www-form-urlencoded").body("List-Unsubscribe=Something")
                .post(s.path()).then().statusCode(400);
        assertEquals("confirmed", fixtures.status(s.list(), s.subscriber()));
    }

    @Test
    void replayedOneClickShouldStayUnsubscribedWithOneEvent() {
        Subscribed s = subscribed("replay");
        for (int i = 0; i < 3; i++) {
            given().formParam("List-Unsubscribe", "One-Click").post(s.path()).then().statusCode(200);
        }
        assertEquals(1, fixtures.events(s.subscriber()).size());
    }

    @Test
    void buttonOnThePageShouldUnsubscribeAndOfferThePreferenceCentre() {
        Subscribed s = subscribed("button");
        given().formParam("action", "unsubscribe").header("Accept-Language", "pt").post(s.path())
                .then().statusCode(200)
                .body(containsString("Subscrição cancelada"))
                .body(containsString("http://localhost:8080/p/"));
        List<Object> row = fixtures.subscription(s.list(), s.subscriber(), "status, unsubscribe_method");
        assertEquals(List.of("unsubscribed", "link"), row);
    }

    @Test
    void alteredTokenShouldGetAClearPageAndChangeNothing() {
        Subscribed s = subscribed("altered");
        String token = s.path().substring("/u/".length());
        String[] parts = token.split("\\.");
        char c = parts[1].charAt(2);
        String altered = "/u/" + parts[0] + "." + parts[1].substring(0, 2) + (c == 'A' ? 'B' : 'A')
                + parts[1].substring(3) + "." + parts[2];
        given().get(altered).then().statusCode(400).body(containsString("This link is not valid"))
                .body(not(containsString("Exception")));
        given().formParam("List-Unsubscribe", "One-Click").post(altered).then().statusCode(400);
        given().formParam("action", "unsubscribe").post(altered).then().statusCode(400)
                .body(containsString("This link is not valid"));
        assertEquals("confirmed", fixtures.status(s.list(), s.subscriber()));
    }

    @Test
    void forgedAndUnknownKeyTokensShouldBeRefused() {
        Subscribed s = subscribed("forged");
        String token = s.path().substring("/u/".length());
        String forged = "/u/" + token.substring(0, token.lastIndexOf('.') + 1) + "AAAAAAAAAAAAAAAAAAAAAA";
        given().formParam("List-Unsubscribe", "One-Click").post(forged).then().statusCode(400);
        String unknownKey = "/u/nokey" + token.substring(token.indexOf('.'));
        given().get(unknownKey).then().statusCode(404).body(containsString("This link is not valid"));
        given().formParam("List-Unsubscribe", "One-Click").post(unknownKey).then().statusCode(404);
        given().get("/u/garbage").then().statusCode(400);
        assertEquals("confirmed", fixtures.status(s.list(), s.subscriber()));
    }

    @Test
    void expiredTokenShouldBeRefused() {
        Subscribed s = subscribed("expired");
        Instant past = Instant.now().minus(Duration.ofDays(500));
        String expired = links.signer().sign(new LinkToken(LinkToken.Purpose.UNSUBSCRIBE, s.subscriber(), s.list(),
                Optional.empty(), past, Optional.of(past.plus(Duration.ofDays(400)))));
        given().get("/u/" + expired).then().statusCode(400).body(containsString("This link has expired"));
        given().formParam("List-Unsubscribe", "One-Click").post("/u/" + expired).then().statusCode(400)
                .body(containsString("expired"));
        assertEquals("confirmed", fixtures.status(s.list(), s.subscriber()));
    }

    @Test
    void tokenForAnotherPurposeShouldNotUnsubscribe() {
        Subscribed s = subscribed("purpose");
        String confirm = links.confirmUrl(s.subscriber(), s.list());
        String token = confirm.substring(confirm.lastIndexOf('/') + 1);
        given().formParam("List-Unsubscribe", "One-Click").post("/u/" + token).then().statusCode(400);
        assertEquals("confirmed", fixtures.status(s.list(), s.subscriber()));
    }

    @Test
    void validTokenForAMissingSubscriptionShouldAnswer404() {
        String url = links.unsubscribeUrl(987654321L, 123456789L, null);
        String path = url.substring("http://localhost:8080".length());
        given().get(path).then().statusCode(404).body(containsString("Nothing found"));
        given().formParam("List-Unsubscribe", "One-Click").post(path).then().statusCode(404);
    }

    @Test
    void confirmLinkReplayedAfterAnUnsubscribeShouldNotResubscribe() {
        Subscribed s = subscribed("reconfirm");
        String confirm = links.confirmUrl(s.subscriber(), s.list()).substring("http://localhost:8080".length());
        given().formParam("List-Unsubscribe", "One-Click").post(s.path()).then().statusCode(200);
        Response page = given().get(confirm);
        SubscribeFlowTest.formPost(page, confirm, "10.2.9.9").then().statusCode(404);
        assertEquals("unsubscribed", fixtures.status(s.list(), s.subscriber()));
    }

    @Test
    void generatedSigningKeyShouldBeKeptInTheDatabase() {
        assertEquals(1, fixtures.count("select count(*) from app_setting where name = :p",
                SignedLinks.GENERATED_LINK_KEY));
        String url = links.preferencesUrl(1);
        assertTrue(url.substring(url.lastIndexOf('/') + 1).startsWith(links.signer().currentKeyId() + "."), url);
        given().get("/u/x").then().body(not(emptyOrNullString()));
    }
}
