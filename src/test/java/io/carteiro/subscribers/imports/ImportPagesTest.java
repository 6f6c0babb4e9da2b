package io.carteiro.subscribers.imports;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

import static io.carteiro.subscribers.imports.ImportFixtures.ADMIN;
import static io.carteiro.subscribers.imports.ImportFixtures.PASSWORD;
import static io.carteiro.subscribers.imports.ImportFixtures.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@QuarkusTest
class ImportPagesTest {

    @Inject
    AgroalDataSource db;

    @Test
    void uploadFormQueuesTheFileAndTheProgressFragmentEndsWithTheRowErrors() throws Exception {
        String tag = unique();
        long list = new ImportFixtures(db).newList("page import " + tag);
        String session = signIn();
        Response form = given().cookie("carteiro-session", session).get("/admin/lists/" + list + "/imports/new");
        assertEquals(200, form.statusCode());
        String csrfCookie = form.cookie("csrf-token");
        String token = form.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        byte[] csv = ("email,name\ngood." + tag + "@example.org,Good\nbroken-address,Bad\n")
                .getBytes(StandardCharsets.UTF_8);

        Response posted = given().cookie("carteiro-session", session).cookie("csrf-token", csrfCookie)
                .redirects().follow(false)
                .multiPart("csrf-token", token)
                .multiPart("file", "people.csv", csv, "text/csv")
                .multiPart("mode", "subscribe")
                .multiPart("legalBasis", "signed up at the stand")
                .post("/admin/lists/" + list + "/imports");
        assertEquals(303, posted.statusCode(), posted.asString());
        String location = posted.header("Location");
        assertTrue(location.matches(".*/admin/imports/\\d+"), location);

        given().cookie("carteiro-session", session).get(location).then().statusCode(200)
                .body(containsString("people.csv"));
        String fragment = awaitFinishedFragment(session, location + "/progress");
        assertTrue(fragment.contains(">done<"), fragment);
        assertTrue(fragment.contains("1 added"), fragment);
        assertTrue(fragment.contains("broken-address"), fragment);
        assertTrue(fragment.contains("<tr><td>3</td><td>email</td>"), "line 3 of the file, the header being line 1: "
                + fragment);
        assertTrue(!fragment.contains("hx-trigger"), "a finished job stops polling: " + fragment);

        given().cookie("carteiro-session", session).get("/admin/imports").then().statusCode(200)
                .body(containsString(location.substring(location.indexOf("/admin"))));
    }

    @Test
    void aRunningImportPollsItsProgressEverySecond() throws Exception {
        ImportFixtures fx = new ImportFixtures(db);
        long list = fx.newList("page running " + unique());
        // A job another worker holds under a long lease: this instance's worker leaves it alone.
        fx.execute("INSERT INTO import_job (list_id, mode, state, bytes_total, bytes_read, rows_read, lease_owner,"
                + " lease_until) VALUES (?, 'subscribe', 'running', 1000, 420, 7, 'elsewhere',"
                + " NOW(6) + INTERVAL 1 DAY)", list);
        long id = fx.count("SELECT MAX(id) FROM import_job WHERE list_id = ?", list);
        String page = given().cookie("carteiro-session", signIn()).get("/admin/imports/" + id).then().statusCode(200)
                .extract().asString();
        assertTrue(page.contains("hx-get=\"/admin/imports/" + id + "/progress\""), page);
        assertTrue(page.contains("hx-trigger=\"every 1s\""), page);
        assertTrue(page.contains("value=\"42\""), page);
        assertTrue(page.contains("7 rows read"), page);
    }

    @Test
    void aRefusedUploadShowsTheReasonOnTheForm() throws Exception {
        long list = new ImportFixtures(db).newList("page refusal " + unique());
        String session = signIn();
        Response form = given().cookie("carteiro-session", session).get("/admin/lists/" + list + "/imports/new");
        String token = form.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        given().cookie("carteiro-session", session).cookie("csrf-token", form.cookie("csrf-token"))
                .multiPart("csrf-token", token)
                .multiPart("file", "x.csv", "email\na@example.org\n".getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("mode", "subscribe")
                .post("/admin/lists/" + list + "/imports")
                .then().statusCode(400).body(containsString("“Legal basis of the consent” is required"))
                .body(not(containsString("legalBasis is"))).body(not(containsString("legalBasis=")));
    }

    @Test
    void aPictureOrAFileWithoutAnAddressColumnIsRefusedInTheFormsWords() throws Exception {
        long list = new ImportFixtures(db).newList("page words " + unique());
        String session = signIn();
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', '\n'};
        upload(session, list, "photo.png", png).then().statusCode(400)
                .body(containsString("does not start with a line of column names"))
                .body(not(containsString("PNG")));
        upload(session, list, "people.csv", "who,city\nana@example.org,Porto\n".getBytes(StandardCharsets.UTF_8))
                .then().statusCode(400)
                .body(containsString("enter in “Column mapping”: email=&lt;column&gt;"))
                .body(not(containsString("pass mapping=")));
    }

    private Response upload(String session, long list, String name, byte[] content) {
        Response form = given().cookie("carteiro-session", session).get("/admin/lists/" + list + "/imports/new");
        String token = form.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        return given().cookie("carteiro-session", session).cookie("csrf-token", form.cookie("csrf-token"))
                .multiPart("csrf-token", token).multiPart("file", name, content, "text/csv")
                .multiPart("mode", "subscribe").multiPart("legalBasis", "met at the fair")
                .post("/admin/lists/" + list + "/imports");
    }

    @Test
    void anUploadWithoutTheCsrfTokenIsRefused() throws Exception {
        long list = new ImportFixtures(db).newList("page csrf " + unique());
        given().cookie("carteiro-session", signIn())
                .multiPart("file", "x.csv", "email\na@example.org\n".getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("legalBasis", "x")
                .post("/admin/lists/" + list + "/imports")
                .then().statusCode(400);
    }

    @Test
    void importPagesNeedSignIn() {
        given().redirects().follow(false).get("/admin/imports").then().statusCode(302);
        given().redirects().follow(false).get("/admin/imports/1/progress").then().statusCode(302);
    }

    private static String awaitFinishedFragment(String session, String url) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            String body = given().cookie("carteiro-session", session).get(url).then().statusCode(200)
                    .extract().asString();
            if (body.contains(">done<") || body.contains(">failed<")) {
                return body;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // poll interval
        }
        fail("import did not end: " + url);
        return null;
    }

    private static String signIn() {
        return given().redirects().follow(false).formParam("j_username", ADMIN).formParam("j_password", PASSWORD)
                .header("X-Forwarded-For", "10.77.0." + (int) (Math.random() * 200 + 1))
                .post("/j_security_check").cookie("carteiro-session");
    }
}
