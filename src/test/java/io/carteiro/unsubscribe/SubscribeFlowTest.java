package io.carteiro.unsubscribe;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SubscribeFlowTest {

    static final Pattern CONFIRM_LINK = Pattern.compile("http://localhost:8080(/confirm/[A-Za-z0-9_.-]+)");

    @Inject
    Fixtures fixtures;

    @Inject
    FormSnippetPage snippetPage;

    @Inject
    ThrottlePruning pruning;

    @Test
    void hostedFormShouldShowTheListSenderAndCurrentConsentText() {
        long list = fixtures.list("Weekly", "double", true, "Yes, send me the weekly letter (v1).");
        given().get("/subscribe/" + list).then().statusCode(200)
                .body(containsString("Example News"))
                .body(containsString("Yes, send me the weekly letter (v1)."))
                .body(containsString("name=\"website\""))
                .body(containsString("<label for=\"email\">"));
    }

    @Test
    void formOfAPrivateOrMissingListShouldAnswer404() {
        long hidden = fixtures.list("Private", "single", false, null);
        given().get("/subscribe/" + hidden).then().statusCode(404);
        given().get("/subscribe/99999999").then().statusCode(404);
        post(hidden, Fixtures.uniqueEmail("p"), "10.1.0.1", true).then().statusCode(404);
    }

    @Test
    void singleOptInShouldSubscribeAtOnceWithTheEvidence() {
        long list = fixtures.list("Single", "single", true, "I agree (single).");
        String email = Fixtures.uniqueEmail("single");
        given().header("X-Forwarded-For", "10.1.1.1").header("User-Agent", "TestBrowser/1.0")
                .header("Referer", "https://example.org/join")
                .formParam("email", email).formParam("name", "Maria").formParam("consent", "yes")
                .post("/subscribe/" + list).then().statusCode(200).body(containsString("You are subscribed"));
        long id = fixtures.subscriberId(email).orElseThrow();
        List<Object> row = fixtures.subscription(list, id, "status, source, ip, user_agent, page, consent_text_id, confirmed_at");
        assertEquals("confirmed", row.get(0));
        assertEquals("form", row.get(1));
        assertEquals("10.1.1.1", row.get(2));
        assertEquals("TestBrowser/1.0", row.get(3));
        assertEquals("https://example.org/join", row.get(4));
        assertNotNull(row.get(5), "consent text version recorded");
        assertNotNull(row.get(6));
        assertEquals(List.of("subscribed public form, single opt-in"), fixtures.events(id));
        assertTrue(fixtures.queuedMails(email).isEmpty());
    }

    @Test
    void doubleOptInShouldWaitForTheConfirmationLinkAndRecordItsTimeAndIp() {
        long list = fixtures.list("Double", "double", true, "I agree (double).");
        String email = Fixtures.uniqueEmail("double");
        post(list, email, "10.1.2.1", true).then().statusCode(200).body(containsString("Check your inbox"));
        long id = fixtures.subscriberId(email).orElseThrow();
        assertEquals("unconfirmed", fixtures.status(list, id));

        String path = confirmPath(email);
        Response page = given().get(path);
        assertEquals(200, page.statusCode());
        assertTrue(page.asString().contains(email), "the page names the address being confirmed");
        assertEquals("unconfirmed", fixtures.status(list, id), "GET must not confirm (link scanners)");

        formPost(page, path, "10.1.2.2").then().statusCode(200).body(containsString("Subscription confirmed"));
        List<Object> row = fixtures.subscription(list, id, "status, confirm_ip, confirmed_at");
        assertEquals("confirmed", row.get(0));
        assertEquals("10.1.2.2", row.get(1));
        assertNotNull(row.get(2));
        assertEquals(List.of("subscribed public form, awaiting confirmation", "confirmed double opt-in link"),
                fixtures.events(id));

        // Replaying the link changes nothing more.
        formPost(given().get(path), path, "10.1.2.2").then().statusCode(200).body(containsString("already confirmed"));
        assertEquals(2, fixtures.events(id).size());
    }

    @Test
    void confirmationShouldNeedTheCsrfTokenOfThePage() {
        long list = fixtures.list("Csrf", "double", true, null);
        String email = Fixtures.uniqueEmail("csrf");
        post(list, email, "10.1.3.1", true).then().statusCode(200);
        given().post(confirmPath(email)).then().statusCode(400);
        assertEquals("unconfirmed", fixtures.status(list, fixtures.subscriberId(email).orElseThrow()));
    }

    @Test
    void atMostOneConfirmationMailPerAddressPerHourAndTheSameAnswerForKnownAddresses() {
        long list = fixtures.list("Bombing", "double", true, null);
        String email = Fixtures.uniqueEmail("victim");
        String first = post(list, email, "10.1.4.1", true).then().statusCode(200).extract().asString();
        String second = post(list, email, "10.1.4.2", true).then().statusCode(200).extract().asString();
        assertEquals(first, second, "same answer the second time");
        assertEquals(1, fixtures.queuedMails(email).size());

        long confirmedList = fixtures.list("Known", "double", true, null);
        String known = Fixtures.uniqueEmail("known");
        fixtures.subscriber(known, confirmedList, "confirmed");
        String answer = post(confirmedList, known, "10.1.4.3", true).then().statusCode(200).extract().asString();
        String fresh = post(confirmedList, Fixtures.uniqueEmail("fresh"), "10.1.4.4", true).then().statusCode(200)
                .extract().asString();
        assertEquals(fresh, answer, "an existing subscription is not revealed");
        assertTrue(fixtures.queuedMails(known).isEmpty());
    }

    @Test
    void honeypotShouldStoreNothingButAnswerLikeASuccess() {
        long list = fixtures.list("Honey", "single", true, null);
        String email = Fixtures.uniqueEmail("bot");
        given().header("X-Forwarded-For", "10.1.5.1").formParam("email", email).formParam("consent", "yes")
                .formParam("website", "http://spam.example").post("/subscribe/" + list)
                .then().statusCode(200).body(containsString("You are subscribed"));
        assertTrue(fixtures.subscriberId(email).isEmpty());
    }

    @Test
    void badInputShouldNameTheFieldsAndStoreNothing() {
        long list = fixtures.list("Invalid", "single", true, null);
        given().header("X-Forwarded-For", "10.1.6.1").formParam("email", "not-an-address")
                .post("/subscribe/" + list).then().statusCode(400)
                .body(containsString("Enter a valid e-mail address"))
                .body(containsString("Tick the box to agree"))
                .body(containsString("value=\"not-an-address\""));
        String email = Fixtures.uniqueEmail("noconsent");
        post(list, email, "10.1.6.2", false).then().statusCode(400).body(not(containsString("Enter a valid")));
        assertTrue(fixtures.subscriberId(email).isEmpty());
    }

    @Test
    void tooManyPostsFromOneIpShouldBeRefusedWith429() {
        long list = fixtures.list("Flood", "single", true, null);
        for (int i = 0; i < 20; i++) {
            post(list, Fixtures.uniqueEmail("flood" + i), "10.1.7.1", true).then().statusCode(200);
        }
        String last = Fixtures.uniqueEmail("flood-last");
        post(list, last, "10.1.7.1", true).then().statusCode(429).header("Retry-After", "3600");
        assertTrue(fixtures.subscriberId(last).isEmpty());
        post(list, last, "10.1.7.2", true).then().statusCode(200);
    }

    @Test
    void tooManyPostsForOneAddressShouldBeRefusedWith429() {
        long list = fixtures.list("Address", "double", true, null);
        String email = Fixtures.uniqueEmail("target");
        for (int i = 0; i < 5; i++) {
            post(list, email, "10.1.8." + i, true).then().statusCode(200);
        }
        post(list, email, "10.1.8.99", true).then().statusCode(429);
    }

    @Test
    void oldSignUpCountersShouldBePrunedAndRecentOnesKept() {
        long list = fixtures.list("Prune", "single", true, null);
        post(list, Fixtures.uniqueEmail("recent"), "10.1.11.1", true).then().statusCode(200);
        fixtures.execute("insert into public_form_throttle (throttle_key, hits, window_started) "
                + "values ('ip:10.1.11.2', 3, utc_timestamp(6) - interval 3 day)");
        pruning.prune();
        assertEquals(0, fixtures.count("select count(*) from public_form_throttle where throttle_key = :p", "ip:10.1.11.2"));
        assertEquals(1, fixtures.count("select count(*) from public_form_throttle where throttle_key = :p", "ip:10.1.11.1"));
    }

    @Test
    void pagesShouldSpeakPortugueseWhenTheBrowserAsksForIt() {
        long list = fixtures.list("Lingua", "double", true, null);
        given().header("Accept-Language", "pt-BR,pt;q=0.9,en;q=0.5").get("/subscribe/" + list).then()
                .statusCode(200).body(containsString("lang=\"pt\"")).body(containsString("Endereço de e-mail"));
        given().header("Accept-Language", "pt-PT").header("X-Forwarded-For", "10.1.9.1")
                .formParam("email", Fixtures.uniqueEmail("pt")).formParam("consent", "yes")
                .post("/subscribe/" + list).then().statusCode(200)
                .body(containsString("Verifique a sua caixa de correio"));
        given().header("Accept-Language", "de, fr").get("/subscribe/" + list).then()
                .body(containsString("lang=\"en\""));
    }

    @Test
    void adminSnippetPageShouldNeedSignIn() {
        long list = fixtures.list("Embed", "double", true, null);
        given().redirects().follow(false).get("/admin/lists/" + list + "/form").then().statusCode(302)
                .header("Location", containsString("/login"));
    }

    @Test
    void embeddableSnippetShouldPostToThePublicUrlWithHoneypotAndEscapedConsent() {
        // Signed-in rendering of the admin page is left to the admin feature's session tests; the snippet is the
        // part this feature owns.
        ListInfo list = new ListInfo(7, "Embed", null, true, null, null, true, 1L, "Consent <b>text</b> & more");
        String snippet = snippetPage.snippet(list);
        assertTrue(snippet.contains("action=\"http://localhost:8080/subscribe/7\""), snippet);
        assertTrue(snippet.contains("name=\"website\""), snippet);
        assertTrue(snippet.contains("Consent &lt;b&gt;text&lt;/b&gt; &amp; more"), snippet);
        assertFalse(snippet.contains("csrf"), "the snippet posts from other sites, where no CSRF cookie exists");
    }

    @Test
    void snippetPostedFromAnotherSiteWithoutCookiesShouldSubscribe() {
        long list = fixtures.list("Embedded", "single", true, null);
        String email = Fixtures.uniqueEmail("embedded");
        given().header("X-Forwarded-For", "10.1.10.1").header("Origin", "https://blog.example")
                .header("Referer", "https://blog.example/post").formParam("email", email)
                .formParam("consent", "yes").formParam("website", "").post("/subscribe/" + list)
                .then().statusCode(200);
        long id = fixtures.subscriberId(email).orElseThrow();
        assertEquals(List.of("confirmed", "https://blog.example/post"), fixtures.subscription(list, id, "status, page"));
    }

    static Response post(long list, String email, String ip, boolean consent) {
        var request = given().header("X-Forwarded-For", ip).formParam("email", email).formParam("name", "Test");
        if (consent) {
            request = request.formParam("consent", "yes");
        }
        return request.post("/subscribe/" + list);
    }

    /** Submits the page's form the way a browser would: with its CSRF cookie and hidden field. */
    static Response formPost(Response page, String path, String ip) {
        String token = page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        return given().header("X-Forwarded-For", ip).cookie("csrf-token", page.cookie("csrf-token"))
                .formParam("csrf-token", token).post(path);
    }

    String confirmPath(String email) {
        List<Fixtures.QueuedMail> mails = fixtures.queuedMails(email);
        assertEquals(1, mails.size(), "one confirmation mail queued for " + email);
        Matcher m = CONFIRM_LINK.matcher(mails.get(0).text());
        assertTrue(m.find(), mails.get(0).text());
        assertFalse(mails.get(0).subject().isBlank());
        return m.group(1);
    }
}
