package io.carteiro.subscribers.exports;

import io.agroal.api.AgroalDataSource;
import io.carteiro.support.Visitors;
import io.carteiro.unsubscribe.SignedLinks;
import io.carteiro.web.AdminBrowser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static io.carteiro.support.Visitors.api;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 12.9: a value a stranger typed ({@code =HYPERLINK(...)} as a name on the public form, in the preference
 * centre, in an imported file, or the detail of a suppression) must not reach a spreadsheet as a formula through any
 * CSV Carteiro writes — and Carteiro's own export must still import back unchanged.
 */
@QuarkusTest
class FormulaInjectionTest {

    static final String HYPERLINK = "=HYPERLINK(\"http://evil.test\",\"x\")";

    @Inject
    AgroalDataSource db;

    @Inject
    SignedLinks links;

    @Test
    void aNameFromThePublicFormIsExportedInert() {
        long list = Visitors.publicList(db, "Formula form", "single");
        String email = "form-" + Visitors.unique() + "@example.org";
        Visitors.signUp(list, email, HYPERLINK).then().statusCode(200);

        List<CSVRecord> rows = Visitors.exportOf(list);
        assertEquals("'" + HYPERLINK, row(rows, email).get(1));
        assertNoCellRunsAsFormula(rows);
        assertNoCellRunsAsFormula(Visitors.csv(api().queryParam("q", email).get("/api/subscribers/export")
                .then().statusCode(200).extract().asString()));
    }

    @Test
    void aNameChangedInThePreferenceCentreIsExportedInert() {
        long list = Visitors.publicList(db, "Formula prefs", "single");
        String email = "prefs-" + Visitors.unique() + "@example.org";
        Visitors.signUp(list, email, "Ana").then().statusCode(200);
        String prefs = links.preferencesUrl(Visitors.subscriberId(email)).substring("http://localhost:8080".length());
        Response page = given().get(prefs);
        given().cookie("csrf-token", page.cookie("csrf-token"))
                .formParam("csrf-token", page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value"))
                .formParam("name", "@SUM(1+1)*cmd|' /C calc'!A0").post(prefs + "/name").then().statusCode(200);

        assertEquals("'@SUM(1+1)*cmd|' /C calc'!A0", row(Visitors.exportOf(list), email).get(1));
    }

    @Test
    void anImportedFileExportsInertAndTheExportImportsBackUnchanged() {
        long list = Visitors.publicList(db, "Formula import", "single");
        String tag = Visitors.unique();
        String calc = "=calc-" + tag + "@example.org";
        String quoted = "quoted-" + tag + "@example.org";
        assertEquals("done", awaitEnd(upload(list, "email,name,-note,score\n"
                + calc + ",-2+3+cmd|' /C calc'!A0,+1+1,-12.5\n")));
        api().contentType("application/json").body(Map.of("email", quoted, "name", "Quoted",
                "attributes", Map.of("quoted", "'=kept"))).post("/api/lists/" + list + "/subscribers")
                .then().statusCode(201);

        String exported = api().get("/api/lists/" + list + "/export").then().statusCode(200).extract().asString();
        List<CSVRecord> rows = Visitors.csv(exported);
        assertEquals(List.of("email", "name", "status", "subscription_status", "subscribed_at", "'-note", "quoted",
                "score"), rows.get(0).toList());
        CSVRecord calcRow = row(rows, "'" + calc);
        assertEquals("'-2+3+cmd|' /C calc'!A0", calcRow.get(1));
        assertEquals("'+1+1", calcRow.get(5));
        assertEquals("-12.5", calcRow.get(7), "plain numbers stay numbers");
        assertEquals("''=kept", row(rows, quoted).get(6), "a value that starts with the mark gets one more");
        assertNoCellRunsAsFormula(rows);

        // The same people, gone and then imported again from the export: every value comes back as it was.
        for (String email : List.of(calc, quoted)) {
            api().delete("/api/subscribers/" + Visitors.subscriberId(email)).then().statusCode(204);
        }
        assertEquals("done", awaitEnd(upload(list, exported,
                "mapping", "ignore=status,ignore=subscription_status,ignore=subscribed_at")));
        Map<String, Object> calcAgain = subscriber(calc);
        assertEquals("-2+3+cmd|' /C calc'!A0", calcAgain.get("name"));
        assertEquals(Map.of("-note", "+1+1", "score", "-12.5"), calcAgain.get("attributes"));
        assertEquals(Map.of("quoted", "'=kept"), subscriber(quoted).get("attributes"));
    }

    @Test
    void theSuppressionExportNeutralisesValuesAndDetails() {
        String address = "-sup-" + Visitors.unique() + "@example.org";
        api().contentType("application/json").body(Map.of("kind", "address", "value", address,
                "detail", "=cmd|' /C calc'!A0")).post("/api/suppressions").then().statusCode(201);
        AdminBrowser admin = AdminBrowser.signIn();
        String exported = admin.request().get("/admin/suppression/export.csv").then().statusCode(200)
                .extract().asString();
        List<CSVRecord> rows = Visitors.csv(exported);
        CSVRecord mine = rows.stream().filter(r -> r.get(1).equals("'" + address)).findFirst()
                .orElseThrow(() -> new AssertionError(exported));
        assertEquals("'=cmd|' /C calc'!A0", mine.get(3));
        assertNoCellRunsAsFormula(rows);
    }

    static void assertNoCellRunsAsFormula(List<CSVRecord> rows) {
        for (CSVRecord r : rows) {
            for (String cell : r) {
                assertFalse(!cell.isEmpty() && "=+@\t\r".indexOf(cell.charAt(0)) >= 0
                        || cell.startsWith("-") && !cell.matches("-[0-9]+(\\.[0-9]+)?"), "cell runs as a formula: " + cell);
            }
        }
    }

    static CSVRecord row(List<CSVRecord> rows, String email) {
        return rows.stream().filter(r -> r.get(0).equals(email)).findFirst()
                .orElseThrow(() -> new AssertionError(email + " not in " + rows));
    }

    static Map<String, Object> subscriber(String email) {
        return api().queryParam("email", email).get("/api/subscribers").then().statusCode(200).extract().jsonPath()
                .getMap("[0]");
    }

    static long upload(long listId, String csv, String... query) {
        var request = api().contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .queryParam("legalBasis", "consent collected at the test fair");
        for (int i = 0; i + 1 < query.length; i += 2) {
            request.queryParam(query[i], query[i + 1]);
        }
        return request.post("/api/lists/" + listId + "/imports").then().statusCode(202).extract().jsonPath()
                .getLong("id");
    }

    static String awaitEnd(long importId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            String state = api().get("/api/imports/" + importId).then().statusCode(200).extract().jsonPath()
                    .getString("state");
            if ("done".equals(state) || "failed".equals(state)) {
                return state;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // poll interval, not a wait for an event
        }
        fail("import " + importId + " did not end");
        return null;
    }
}
