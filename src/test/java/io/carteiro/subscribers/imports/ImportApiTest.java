package io.carteiro.subscribers.imports;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.carteiro.subscribers.imports.ImportFixtures.api;
import static io.carteiro.subscribers.imports.ImportFixtures.awaitEnd;
import static io.carteiro.subscribers.imports.ImportFixtures.unique;
import static io.carteiro.subscribers.imports.ImportFixtures.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ImportApiTest {

    @Inject
    AgroalDataSource db;

    ImportFixtures fx;
    String tag;

    @BeforeEach
    void setUp() {
        fx = new ImportFixtures(db);
        tag = unique();
    }

    private byte[] csv(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String addr(String local) {
        return local + "." + tag + "@example.org";
    }

    @Test
    void goodRowsAreSubscribedWithImportEvidenceAndOneConsentEventEach() throws Exception {
        long list = fx.newList("good " + tag);
        long id = upload(list, csv("email,name,city\n" + addr("ana") + ",Ana,Lisboa\n" + addr("rui") + ",Rui,Porto\n"));
        JsonPath job = awaitEnd(id);
        assertEquals("done", job.getString("state"), job.prettify());
        assertEquals(2, job.getInt("rowsRead"));
        assertEquals(2, job.getInt("rowsAdded"));
        assertEquals(0, job.getInt("rowsFailed"));
        assertEquals(2, fx.count("SELECT COUNT(*) FROM subscription WHERE list_id = ? AND status = 'confirmed'"
                + " AND source = 'import' AND legal_basis = 'consent collected at the test fair'"
                + " AND consent_text_id IS NOT NULL", list));
        assertEquals(2, fx.count("SELECT COUNT(*) FROM consent_event WHERE list_id = ? AND event = 'subscribed'"
                + " AND source = 'import'", list));
        assertEquals(List.of("{\"city\":\"Lisboa\"}"), fx.strings("SELECT attributes FROM subscriber WHERE email_key = ?",
                addr("ana")));
    }

    @Test
    void importingTheSameFileTwiceChangesNothing() throws Exception {
        long list = fx.newList("twice " + tag);
        byte[] file = csv("email,name\n" + addr("a") + ",A\n" + addr("b") + ",B\nnot-an-address,C\n");
        awaitEnd(upload(list, file));
        JsonPath second = awaitEnd(upload(list, file));
        assertEquals("done", second.getString("state"));
        assertEquals(0, second.getInt("rowsAdded"));
        assertEquals(0, second.getInt("rowsUpdated"));
        assertEquals(2, second.getInt("rowsSkipped"));
        assertEquals(1, second.getInt("rowsFailed"));
        assertEquals(2, fx.subscriptions(list));
        assertEquals(2, fx.consentEvents(list));
    }

    @Test
    void changedNameOfAKnownSubscriberCountsAsUpdated() throws Exception {
        long list = fx.newList("update " + tag);
        awaitEnd(upload(list, csv("email,name\n" + addr("x") + ",Old\n")));
        JsonPath job = awaitEnd(upload(list, csv("email,name\n" + addr("x") + ",New\n")));
        assertEquals(1, job.getInt("rowsUpdated"));
        assertEquals(List.of("New"), fx.strings("SELECT name FROM subscriber WHERE email_key = ?", addr("x")));
        assertEquals(1, fx.consentEvents(list));
    }

    @Test
    void badRowsAreReportedByRowAndColumnWhileGoodRowsAreImported() throws Exception {
        long list = fx.newList("bad rows " + tag);
        String longName = "n".repeat(201);
        String longEmail = "l".repeat(250) + "@example.org";
        String text = "email,name,city\n"
                + addr("ok1") + ",One,Braga\n"          // row 1
                + "no-at-sign,Two,Braga\n"               // row 2: invalid address
                + addr("ok1") + ",Again,Braga\n"         // row 3: duplicate of row 1
                + addr("few") + ",Few\n"                 // row 4: too few fields
                + addr("many") + ",Many,Braga,extra\n"   // row 5: too many fields
                + addr("long") + "," + longName + ",Braga\n" // row 6: name too long
                + longEmail + ",Long,Braga\n"            // row 7: address too long
                + addr("ok2") + ",Two,Faro\n";           // row 8
        JsonPath job = awaitEnd(upload(list, csv(text)));
        assertEquals("done", job.getString("state"), job.prettify());
        assertEquals(8, job.getInt("rowsRead"));
        assertEquals(2, job.getInt("rowsAdded"));
        assertEquals(6, job.getInt("rowsFailed"));
        List<Map<String, Object>> errors = job.getList("errors");
        assertEquals(6, errors.size());
        assertError(errors.get(0), 2, "email", "invalid address");
        assertError(errors.get(1), 3, "email", "duplicate address");
        assertTrue(errors.get(1).get("reason").toString().contains("already on line 2"), errors.get(1).toString());
        assertError(errors.get(2), 4, null, "row has 2 fields but the header has 3");
        assertError(errors.get(3), 5, null, "row has 4 fields but the header has 3");
        assertError(errors.get(4), 6, "name", "field too long: the name has 201 characters");
        assertError(errors.get(5), 7, "email", "field too long");
        assertEquals(2, fx.subscriptions(list));
    }

    @Test
    void bytesThatAreNotUtf8AreReportedWithTheirRowAndColumn() throws Exception {
        long list = fx.newList("bad utf8 " + tag);
        byte[] head = csv("email,name\n" + addr("good") + ",Good\n" + addr("bad") + ",Jo");
        byte[] latin1 = {(byte) 0xE3, 'o'};
        byte[] tail = csv("\n");
        byte[] file = new byte[head.length + latin1.length + tail.length];
        System.arraycopy(head, 0, file, 0, head.length);
        System.arraycopy(latin1, 0, file, head.length, latin1.length);
        System.arraycopy(tail, 0, file, head.length + latin1.length, tail.length);
        JsonPath job = awaitEnd(upload(list, file));
        assertEquals(1, job.getInt("rowsAdded"));
        assertEquals(1, job.getInt("rowsFailed"));
        assertError(job.getList("errors").get(0), 2, "name", "not valid UTF-8");
    }

    @Test
    void latin1IsDecodedOnRequest() throws Exception {
        long list = fx.newList("latin1 " + tag);
        byte[] file = ("email;name\n" + addr("joao") + ";João\n").getBytes(StandardCharsets.ISO_8859_1);
        JsonPath job = awaitEnd(upload(list, file, "charset", "ISO-8859-1"));
        assertEquals(1, job.getInt("rowsAdded"));
        assertEquals(List.of("João"), fx.strings("SELECT name FROM subscriber WHERE email_key = ?", addr("joao")));
    }

    @Test
    void aUtf8ByteOrderMarkIsDroppedBeforeTheHeader() throws Exception {
        long list = fx.newList("bom " + tag);
        byte[] body = csv("Email,Name\n" + addr("bom") + ",Zoë\n");
        byte[] file = new byte[body.length + 3];
        file[0] = (byte) 0xEF;
        file[1] = (byte) 0xBB;
        file[2] = (byte) 0xBF;
        System.arraycopy(body, 0, file, 3, body.length);
        JsonPath job = awaitEnd(upload(list, file));
        assertEquals("done", job.getString("state"), job.prettify());
        assertEquals(1, job.getInt("rowsAdded"));
        assertEquals(List.of("Zoë"), fx.strings("SELECT name FROM subscriber WHERE email_key = ?", addr("bom")));
    }

    @Test
    void theDelimiterIsDetectedFromTheHeader() throws Exception {
        for (String delimiter : List.of(";", "\t", "|")) {
            long list = fx.newList("delimiter " + tag + delimiter);
            String text = "e-mail" + delimiter + "name" + delimiter + "plan\n"
                    + addr("d" + (int) delimiter.charAt(0)) + delimiter + "\"Smith, Jo\"" + delimiter + "gold\n";
            JsonPath job = awaitEnd(upload(list, csv(text)));
            assertEquals(1, job.getInt("rowsAdded"), "delimiter " + delimiter + ": " + job.prettify());
            assertEquals(List.of("Smith, Jo"), fx.strings("SELECT name FROM subscriber WHERE email_key = ?",
                    addr("d" + (int) delimiter.charAt(0))));
        }
    }

    @Test
    void aMappingNamesTheColumnsAndIgnoresOthers() throws Exception {
        long list = fx.newList("mapping " + tag);
        String text = "Contact,Full name,Notes,Tier\n" + addr("map") + ",Map Person,skip me,silver\n";
        JsonPath job = awaitEnd(upload(list, csv(text), "mapping", "email=Contact,name=Full name,ignore=notes"));
        assertEquals(1, job.getInt("rowsAdded"), job.prettify());
        assertEquals(List.of("{\"Tier\":\"silver\"}"), fx.strings(
                "SELECT attributes FROM subscriber WHERE email_key = ?", addr("map")));
    }

    @Test
    void anInvalidMappingIsRefusedAndNothingIsQueued() throws Exception {
        long list = fx.newList("bad mapping " + tag);
        long before = fx.count("SELECT COUNT(*) FROM import_job WHERE list_id = ?", list);
        api().contentType("text/csv").body(csv("email,name\n" + addr("m") + ",M\n"))
                .queryParam("legalBasis", "x").queryParam("mapping", "email=Mail")
                .post("/api/lists/" + list + "/imports")
                .then().statusCode(400).body("error", containsString("email column 'Mail', which is not in the header"));
        api().contentType("text/csv").body(csv("email,name\n"))
                .queryParam("legalBasis", "x").queryParam("mapping", "colour=name")
                .post("/api/lists/" + list + "/imports")
                .then().statusCode(400).body("error", containsString("mapping key 'colour' is unknown"));
        api().contentType("text/csv").body(csv("address,name\n" + addr("m") + ",M\n"))
                .queryParam("legalBasis", "x")
                .post("/api/lists/" + list + "/imports")
                .then().statusCode(400).body("error", containsString("no column named email or e-mail"));
        assertEquals(before, fx.count("SELECT COUNT(*) FROM import_job WHERE list_id = ?", list));
    }

    @Test
    void uploadParametersAreChecked() throws Exception {
        long list = fx.newList("params " + tag);
        byte[] file = csv("email\n" + addr("p") + "\n");
        api().contentType("text/csv").body(file).post("/api/lists/" + list + "/imports")
                .then().statusCode(400).body("error", containsString("legalBasis is required"));
        api().contentType("text/csv").body(file).queryParam("legalBasis", "x").queryParam("mode", "delete")
                .post("/api/lists/" + list + "/imports")
                .then().statusCode(400).body("error", containsString("mode 'delete' is unknown"));
        api().contentType("text/csv").body(file).queryParam("legalBasis", "x").queryParam("charset", "EBCDIC")
                .post("/api/lists/" + list + "/imports")
                .then().statusCode(400).body("error", containsString("charset 'EBCDIC' is not supported"));
        api().contentType("text/csv").body(file).queryParam("legalBasis", "x").queryParam("delimiter", "#")
                .post("/api/lists/" + list + "/imports")
                .then().statusCode(400).body("error", containsString("delimiter '#' is not supported"));
        api().contentType("text/csv").body(file).queryParam("legalBasis", "x")
                .post("/api/lists/999999999/imports")
                .then().statusCode(404).body("error", containsString("list 999999999 does not exist"));
        given().contentType("text/csv").body(file).post("/api/lists/" + list + "/imports").then().statusCode(401);
        api().get("/api/imports/999999999").then().statusCode(404);
    }

    @Test
    void anEmptyFileFailsTheJobAndAHeaderOnlyFileImportsNothing() throws Exception {
        long list = fx.newList("empty " + tag);
        JsonPath empty = awaitEnd(upload(list, new byte[0]));
        assertEquals("failed", empty.getString("state"));
        assertEquals("file is empty", empty.getString("error"));
        JsonPath headerOnly = awaitEnd(upload(list, csv("email,name\n")));
        assertEquals("done", headerOnly.getString("state"));
        assertEquals(0, headerOnly.getInt("rowsRead"));
        assertEquals(0, fx.subscriptions(list));
    }

    @Test
    void brokenQuotingFailsTheJobNamingTheLineAndWritesNothing() throws Exception {
        long list = fx.newList("quotes " + tag);
        String text = "email,name\n" + addr("q1") + ",Fine\n" + addr("q2") + ",\"Broken\"quote\n"
                + addr("q3") + ",Fine\n";
        JsonPath job = awaitEnd(upload(list, csv(text)));
        assertEquals("failed", job.getString("state"));
        assertTrue(job.getString("error").contains("line 3 (data row 2)"), job.getString("error"));
        assertTrue(job.getString("error").contains("broken quoting"), job.getString("error"));
        assertEquals(0, fx.subscriptions(list));
        assertEquals(0, fx.count("SELECT COUNT(*) FROM subscriber WHERE email_key = ?", addr("q1")));
    }

    @Test
    void anUnclosedQuoteFailsTheJobWithoutReadingTheRestIntoMemory() throws Exception {
        long list = fx.newList("unclosed " + tag);
        String text = "email,name\n" + addr("u1") + ",\"never closed\n" + (addr("u2") + ",x\n").repeat(5);
        JsonPath job = awaitEnd(upload(list, csv(text)));
        assertEquals("failed", job.getString("state"));
        assertTrue(job.getString("error").contains("line 2"), job.getString("error"));
        assertEquals(0, fx.subscriptions(list));
    }

    @Test
    void suppressedDomainsAddressesAndErasedAddressesAreSkipped() throws Exception {
        long list = fx.newList("suppressed " + tag);
        String domain = "blocked-" + tag + ".example";
        for (Map<String, String> suppression : List.of(Map.of("kind", "domain", "value", domain),
                Map.of("kind", "address", "value", addr("supp")))) {
            api().contentType("application/json").body(suppression).post("/api/suppressions").then().statusCode(201);
        }
        // An erased address leaves only its salted hash; the import must find it by the same rule. Erased as a
        // user does: imported, then erased through the API.
        awaitEnd(upload(list, csv("email\n" + addr("erased") + "\n")));
        long erased = fx.count("SELECT id FROM subscriber WHERE email_key = ?", addr("erased"));
        api().post("/api/subscribers/" + erased + "/erase").then().statusCode(204);
        String text = "email\nsomeone@" + domain + "\nsomeone@mail." + domain + "\n" + addr("SUPP") + "\n"
                + addr("Erased") + "\n" + addr("fine") + "\n";
        JsonPath job = awaitEnd(upload(list, csv(text)));
        assertEquals(1, job.getInt("rowsAdded"));
        assertEquals(4, job.getInt("rowsSkipped"), "a suppressed domain covers its subdomains too");
        List<Map<String, Object>> errors = job.getList("errors");
        assertEquals(4, errors.size());
        errors.forEach(e -> assertTrue(e.get("reason").toString().startsWith("suppressed"), e.toString()));
        assertEquals(0, fx.count("SELECT COUNT(*) FROM subscriber WHERE email_key = ?", addr("erased")));
    }

    @Test
    void blocklistModeBlocklistsKnownAndNewAddressesWithAnEvent() throws Exception {
        long list = fx.newList("blocklist " + tag);
        awaitEnd(upload(list, csv("email,name\n" + addr("known") + ",Known\n")));
        JsonPath job = awaitEnd(upload(list, csv("email\n" + addr("known") + "\n" + addr("new") + "\n"),
                "mode", "blocklist"));
        assertEquals("done", job.getString("state"), job.prettify());
        assertEquals(1, job.getInt("rowsAdded"));
        assertEquals(1, job.getInt("rowsUpdated"));
        assertEquals(2, fx.count("SELECT COUNT(*) FROM subscriber WHERE status = 'blocklisted' AND email_key IN (?, ?)",
                addr("known"), addr("new")));
        assertEquals(2, fx.count("SELECT COUNT(*) FROM consent_event e JOIN subscriber s ON s.id = e.subscriber_id"
                + " WHERE e.event = 'blocklisted' AND s.email_key IN (?, ?)", addr("known"), addr("new")));
        JsonPath again = awaitEnd(upload(list, csv("email\n" + addr("known") + "\n"), "mode", "blocklist"));
        assertEquals(1, again.getInt("rowsSkipped"));
        JsonPath resubscribe = awaitEnd(upload(list, csv("email\n" + addr("new") + "\n")));
        assertEquals(0, resubscribe.getInt("rowsAdded"));
        assertError(resubscribe.getList("errors").get(0), 1, null, "subscriber is blocklisted");
    }

    @Test
    void theImportListShowsRecentJobs() throws Exception {
        long list = fx.newList("recent " + tag);
        long id = upload(list, csv("email\n" + addr("r") + "\n"));
        awaitEnd(id);
        List<Integer> ids = api().get("/api/imports").then().statusCode(200).extract().jsonPath().getList("id");
        assertTrue(ids.contains((int) id), ids.toString());
        assertFalse(fx.count("SELECT COUNT(*) FROM import_job WHERE id = ? AND file_path IS NOT NULL", id) == 0);
    }

    @SuppressWarnings("unchecked")
    static void assertError(Object error, long row, String column, String reasonPart) {
        Map<String, Object> e = (Map<String, Object>) error;
        assertEquals(row, ((Number) e.get("row")).longValue(), e.toString());
        assertEquals(column, e.get("column"), e.toString());
        assertTrue(e.get("reason").toString().contains(reasonPart), e.toString());
    }
}
