package io.carteiro.unsubscribe;

import io.carteiro.delivery.MailQueue;
import io.carteiro.delivery.OutgoingMail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An unsubscribe stops the messages still queued for that subscriber on that list at once (issue 5, point 3),
 * checked on the delivery engine's own queue.
 */
@QuarkusTest
class ImmediateEffectTest {

    @Inject
    Fixtures fixtures;

    @Inject
    SignedLinks links;

    @Inject
    MailQueue queue;

    @Test
    void oneClickShouldCancelTheQueuedMessagesOfThatSubscriberOnThatListOnly() {
        long list = fixtures.list("Running campaign", "single", false, null);
        long other = fixtures.list("Other campaign", "single", false, null);
        String email = Fixtures.uniqueEmail("queued");
        long id = fixtures.subscriber(email, list, "confirmed");
        long onList = queue(email, id, list);
        long onOther = queue(email, id, other);

        String url = links.oneClickUrl(id, list, 12L);
        given().formParam("List-Unsubscribe", "One-Click").post(url.substring(url.indexOf("/u/")))
                .then().statusCode(200);

        assertEquals("cancelled", state(onList));
        assertEquals("queued", state(onOther));
    }

    @Test
    void erasureShouldCancelEverythingQueuedForTheSubscriber() {
        long list = fixtures.list("Erased", "single", false, null);
        long other = fixtures.list("Erased too", "single", false, null);
        String email = Fixtures.uniqueEmail("erasedq");
        long id = fixtures.subscriber(email, list, "confirmed");
        long first = queue(email, id, list);
        long second = queue(email, id, other);

        String prefs = links.preferencesUrl(id);
        PreferenceCentreTest.eraseThroughTheMailedLink(fixtures, prefs.substring(prefs.indexOf("/p/")), email)
                .then().statusCode(200);

        assertEquals("cancelled", state(first));
        assertEquals("cancelled", state(second));
    }

    private long queue(String email, long subscriberId, long listId) {
        return QuarkusTransaction.requiringNew().call(() -> queue.submit(new OutgoingMail("news@example.org", email,
                "News", null, "Hello", Map.of(), subscriberId, listId)));
    }

    private String state(long outboundId) {
        return fixtures.queuedState(outboundId);
    }
}
