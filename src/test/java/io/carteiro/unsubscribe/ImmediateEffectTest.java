package io.carteiro.unsubscribe;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An unsubscribe stops the messages still queued for that subscriber on that list at once (issue 5, point 3). */
@QuarkusTest
@TestProfile(SubscriberJourneyBrowserTest.RealMail.class)
class ImmediateEffectTest {

    @Inject
    Fixtures fixtures;

    @Inject
    SignedLinks links;

    @Inject
    RecordingMailQueue queue;

    @Test
    void oneClickShouldCancelTheQueuedMessagesOfThatSubscriberOnThatList() {
        long list = fixtures.list("Running campaign", "single", false, null);
        long id = fixtures.subscriber(Fixtures.uniqueEmail("queued"), list, "confirmed");
        String url = links.oneClickUrl(id, list, 12L);
        given().baseUri(url.substring(0, url.indexOf("/u/"))).port(-1).formParam("List-Unsubscribe", "One-Click")
                .post(url.substring(url.indexOf("/u/"))).then().statusCode(200);
        assertTrue(queue.cancellations().contains(new RecordingMailQueue.Cancellation(id, list)), queue.cancellations().toString());
    }

    @Test
    void erasureShouldCancelEverythingQueuedForTheSubscriber() {
        long list = fixtures.list("Erased", "single", false, null);
        long id = fixtures.subscriber(Fixtures.uniqueEmail("erasedq"), list, "confirmed");
        String prefs = links.preferencesUrl(id);
        String base = prefs.substring(0, prefs.indexOf("/p/"));
        String path = prefs.substring(prefs.indexOf("/p/"));
        var page = given().baseUri(base).port(-1).get(path);
        given().baseUri(base).port(-1).cookie("csrf-token", page.cookie("csrf-token"))
                .formParam("csrf-token", PreferenceCentreTest.csrf(page)).formParam("confirm", "yes")
                .post(path + "/erase").then().statusCode(200);
        assertTrue(queue.cancellations().contains(new RecordingMailQueue.Cancellation(id, null)), queue.cancellations().toString());
    }
}
