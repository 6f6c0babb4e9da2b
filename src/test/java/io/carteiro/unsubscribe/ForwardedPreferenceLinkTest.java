package io.carteiro.unsubscribe;

import io.agroal.api.AgroalDataSource;
import io.carteiro.support.Visitors;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.carteiro.support.Visitors.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12.15: whoever holds a forwarded newsletter holds its preference link (valid 400 days). With it they may
 * still unsubscribe and change lists in one click — that is the subscriber's right and costs nothing — but they can
 * neither download the subscriber's data nor erase them: both only send a short-lived link to the subscriber's own
 * address, and that link is what does it.
 */
@QuarkusTest
class ForwardedPreferenceLinkTest {

    @Inject
    AgroalDataSource db;

    @Inject
    SignedLinks links;

    @Inject
    Fixtures fixtures;

    record Forwarded(long list, long subscriber, String email, String path) {
    }

    Forwarded forwarded(String who) {
        long list = Visitors.publicList(db, "Forwarded " + who, "single");
        String email = who + "-" + Visitors.unique() + "@example.org";
        Visitors.signUp(list, email, "Ana Forwarded").then().statusCode(200);
        long id = Visitors.subscriberId(email);
        // What the recipient of the forwarded newsletter finds in its footer.
        String url = links.preferencesUrl(id);
        return new Forwarded(list, id, email, url.substring(url.indexOf("/p/")));
    }

    @Test
    void theForwardedLinkCannotDownloadTheData() {
        Forwarded f = forwarded("download");
        given().get(f.path() + "/data").then().statusCode(403)
                .body(not(containsString(f.email()))).body(not(containsString("Ana Forwarded")))
                .body("error", containsString("mailed to your address"));

        Response page = given().get(f.path());
        post(page, f.path() + "/data").then().statusCode(200)
                .body(containsString("A download link is on its way to " + f.email()));
        List<Fixtures.QueuedMail> mails = fixtures.queuedMails(f.email());
        assertEquals("Your data from us", mails.get(mails.size() - 1).subject());

        // The subscriber opens the mailed link: the data, as JSON.
        given().get(PreferenceCentreTest.mailedLink(fixtures, f.email(), "/data")).then().statusCode(200)
                .body("email", equalTo(f.email())).body("name", equalTo("Ana Forwarded"));
    }

    @Test
    void theForwardedLinkCannotEraseTheSubscriber() {
        Forwarded f = forwarded("erase");
        Response page = given().get(f.path());
        post(page, f.path() + "/erase", "confirm", "yes").then().statusCode(200)
                .body(containsString("A link to confirm the erasure is on its way to " + f.email()));
        api().get("/api/subscribers/" + f.subscriber()).then().statusCode(200);

        String link = PreferenceCentreTest.mailedLink(fixtures, f.email(), "/erase");
        // Mail scanners open links: the GET only asks.
        Response confirm = given().get(link);
        confirm.then().statusCode(200).body(containsString("This cannot be undone"));
        api().get("/api/subscribers/" + f.subscriber()).then().statusCode(200);
        // The erasure link does not open the preference page or the data, nor does it work without the form's token.
        given().get(link.replace("/erase", "")).then().statusCode(400);
        given().get(link.replace("/erase", "/data")).then().statusCode(403);
        given().post(link).then().statusCode(400);

        post(confirm, link).then().statusCode(200).body(containsString("Your data is erased"));
        api().get("/api/subscribers/" + f.subscriber()).then().statusCode(404);
        given().get(f.path()).then().statusCode(404);
    }

    @Test
    void unsubscribingAndChangingListsStayOneClick() {
        Forwarded f = forwarded("lists");
        Response page = given().get(f.path());
        post(page, f.path() + "/lists").then().statusCode(200).body(containsString("Saved."));
        assertEquals("unsubscribed", fixtures.status(f.list(), f.subscriber()));
        post(page, f.path() + "/lists", "list", String.valueOf(f.list())).then().statusCode(200);
        assertEquals("confirmed", fixtures.status(f.list(), f.subscriber()));
        post(page, f.path() + "/unsubscribe-all").then().statusCode(200);
        assertEquals("unsubscribed", fixtures.status(f.list(), f.subscriber()));
        assertTrue(fixtures.queuedMails(f.email()).isEmpty(), "no mail was needed for any of it");
    }

    @Test
    void theLinkHolderCannotFloodTheMailboxWithRequests() {
        Forwarded f = forwarded("flood");
        Response page = given().get(f.path());
        for (int i = 0; i < 3; i++) {
            post(page, f.path() + "/data").then().statusCode(200);
        }
        post(page, f.path() + "/erase", "confirm", "yes").then().statusCode(429)
                .body(containsString("Too many requests for this address"));
        assertEquals(3, fixtures.queuedMails(f.email()).size());
    }

    static Response post(Response page, String path, String... fields) {
        var request = given().cookie("csrf-token", page.cookie("csrf-token"))
                .formParam("csrf-token", PreferenceCentreTest.csrf(page));
        for (int i = 0; i + 1 < fields.length; i += 2) {
            request.formParam(fields[i], fields[i + 1]);
        }
        return request.post(path);
    }
}
