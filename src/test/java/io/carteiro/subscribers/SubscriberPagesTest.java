package io.carteiro.subscribers;

import io.carteiro.lists.ListService;
import io.carteiro.lists.MailingList;
import io.carteiro.lists.OptIn;
import io.carteiro.web.AdminBrowser;
import io.carteiro.web.Flash;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SubscriberPagesTest {

    @Inject
    ListService lists;

    @Inject
    SubscriberService subscribers;

    @Test
    void addingThroughTheFormStoresAttributesAndShowsTheConsentHistory() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, "Consent."), "admin@carteiro.test");
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/subscribers/new").then().statusCode(200)
                .body(containsString("for=\"subscriber-email\"")).body(containsString(list.name));
        String email = "first+" + TestData.address("form");

        Response added = admin.post("/admin/subscribers", Map.of("email", email, "name", "Form Person",
                "listId", list.id, "attributes", "city=Braga\nplan = gold"));

        assertEquals(303, added.statusCode());
        admin.open(added.header("Location"), added.cookie(Flash.COOKIE)).then().statusCode(200)
                .body(containsString(email + " added.")).body(containsString("Braga"))
                .body(containsString("id=\"consent-history\"")).body(containsString("subscribed"))
                .body(containsString("Export as JSON"))
                .body(containsString("/admin/bounces?email=" + java.net.URLEncoder.encode(email,
                        java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void anInvalidAddressIsShownBackWithTheReason() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, null), "admin@carteiro.test");
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/subscribers/new");
        admin.post("/admin/subscribers", Map.of("email", "nobody@", "listId", list.id))
                .then().statusCode(400).body(containsString("is not an e-mail address"))
                .body(containsString("value=\"nobody@\""));
    }

    @Test
    void changingASubscriptionOnThePageAppendsToTheHistory() {
        MailingList list = lists.create(TestData.list(OptIn.DOUBLE, null), "admin@carteiro.test");
        long id = ((SubscriberService.Added) subscribers.add(list.id,
                new SubscriberService.NewSubscriber(TestData.address("page"), null, null), TestData.admin()))
                .subscriberId();
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/subscribers/" + id);

        Response changed = admin.post("/admin/subscribers/" + id + "/subscriptions/" + list.id,
                Map.of("status", "confirmed"));

        assertEquals(303, changed.statusCode());
        assertEquals(2, subscribers.history(id).size());
        admin.open("/admin/subscribers/" + id, changed.cookie(Flash.COOKIE))
                .then().body(containsString("Subscription set to confirmed."));
    }

    @Test
    void searchPagesWithANextLinkCarryingTheFilters() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, null), "admin@carteiro.test");
        for (int i = 0; i < 55; i++) {
            subscribers.add(list.id, new SubscriberService.NewSubscriber(TestData.address("many" + i), null, null),
                    TestData.admin());
        }
        AdminBrowser admin = AdminBrowser.signIn();
        Response first = admin.open("/admin/subscribers?listId=" + list.id);
        first.then().statusCode(200).body(containsString("id=\"next-page\""));
        String next = first.htmlPath().getString("**.find { it.@id == 'next-page' }.@href");
        assertTrue(next.contains("listId=" + list.id) && next.contains("after="), next);

        admin.open(next).then().statusCode(200).body(not(containsString("id=\"next-page\"")));
    }

    @Test
    void theSearchFormWithEveryFilterLeftEmptyListsSubscribers() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, null), "admin@carteiro.test");
        String email = TestData.address("anyone");
        subscribers.add(list.id, new SubscriberService.NewSubscriber(email, null, null), TestData.admin());
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/subscribers?q=" + email.substring(0, 12) + "&name=&status=&listId=&attr=")
                .then().statusCode(200).body(containsString(email));
        admin.open("/admin/subscribers?attr=nocolon").then().statusCode(400)
                .body(containsString("attr must be written key:value"));
    }

    @Test
    void eraseAsksFirstThenLeavesNothing() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, null), "admin@carteiro.test");
        String email = TestData.address("gone");
        long id = ((SubscriberService.Added) subscribers.add(list.id,
                new SubscriberService.NewSubscriber(email, null, null), TestData.admin())).subscriberId();
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/subscribers/" + id + "/export").then().statusCode(200)
                .header("Content-Disposition", containsString("subscriber-" + id + ".json"));
        admin.open("/admin/subscribers/" + id + "/erase").then().statusCode(200).body(containsString("cannot be undone"));

        Response erased = admin.post("/admin/subscribers/" + id + "/erase", Map.of());

        assertEquals(303, erased.statusCode());
        assertTrue(subscribers.find(id).isEmpty());
        admin.open("/admin/subscribers", erased.cookie(Flash.COOKIE)).then().body(containsString("erased"));
    }
}
