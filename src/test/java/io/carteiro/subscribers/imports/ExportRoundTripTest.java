package io.carteiro.subscribers.imports;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static io.carteiro.subscribers.imports.ImportFixtures.api;
import static io.carteiro.subscribers.imports.ImportFixtures.awaitEnd;
import static io.carteiro.subscribers.imports.ImportFixtures.unique;
import static io.carteiro.subscribers.imports.ImportFixtures.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Exports live in their own package; this test sits with imports because it checks that the two fit together. */
@QuarkusTest
class ExportRoundTripTest {

    @Inject
    AgroalDataSource db;

    @Test
    void anExportedListImportsIntoAnotherListUnchanged() throws Exception {
        ImportFixtures fx = new ImportFixtures(db);
        String tag = unique();
        long source = fx.newList("export source " + tag);
        StringBuilder text = new StringBuilder("email,name,city,plan\n");
        for (int i = 0; i < 2500; i++) { // more than two export pages
            text.append("p").append(i).append('.').append(tag).append("@example.org,\"Person, ").append(i)
                    .append("\",").append(i % 2 == 0 ? "Lisboa" : "").append(",gold\n");
        }
        assertEquals("done", awaitEnd(upload(source, text.toString().getBytes(StandardCharsets.UTF_8)))
                .getString("state"));

        String exported = api().get("/api/lists/" + source + "/export").then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        List<CSVRecord> rows = parse(exported);
        assertEquals(List.of("email", "name", "status", "subscription_status", "subscribed_at", "city", "plan"),
                rows.get(0).toList());
        assertEquals(2501, rows.size());
        assertEquals("p0." + tag + "@example.org", rows.get(1).get(0));
        assertEquals("Person, 0", rows.get(1).get(1));
        assertEquals("confirmed", rows.get(1).get(3));
        assertEquals("Lisboa", rows.get(1).get(5));
        assertEquals("", rows.get(2).get(5));

        long copy = fx.newList("export copy " + tag);
        JsonPath job = awaitEnd(upload(copy, exported.getBytes(StandardCharsets.UTF_8),
                "mapping", "ignore=status,ignore=subscription_status,ignore=subscribed_at"));
        assertEquals(2500, job.getInt("rowsAdded"), job.prettify());
        assertEquals(0, job.getInt("rowsUpdated"));
        String again = api().get("/api/lists/" + copy + "/export").then().statusCode(200).extract().asString();
        assertEquals(withoutDates(exported), withoutDates(again));
    }

    @Test
    void aSearchExportHoldsOnlyMatchingSubscribers() throws Exception {
        ImportFixtures fx = new ImportFixtures(db);
        String tag = unique();
        long list = fx.newList("search export " + tag);
        awaitEnd(upload(list, ("email,name\nfind-" + tag + "@example.org,Found\nother-" + tag + "@example.org,Other\n")
                .getBytes(StandardCharsets.UTF_8)));
        List<CSVRecord> rows = parse(api().queryParam("q", "FIND-" + tag).queryParam("status", "active")
                .get("/api/subscribers/export").then().statusCode(200).extract().asString());
        assertEquals(2, rows.size());
        assertEquals("find-" + tag + "@example.org", rows.get(1).get(0));
        api().queryParam("status", "sleeping").get("/api/subscribers/export")
                .then().statusCode(400).body("error", containsString("status 'sleeping' is unknown"));
        api().get("/api/lists/999999999/export").then().statusCode(404);
        given().get("/api/lists/" + list + "/export").then().statusCode(401);
    }

    private static List<CSVRecord> parse(String csv) throws Exception {
        try (CSVParser parser = CSVFormat.DEFAULT.parse(new StringReader(csv))) {
            return parser.getRecords();
        }
    }

    private static String withoutDates(String csv) throws Exception {
        return parse(csv).stream().map(r -> {
            List<String> values = new java.util.ArrayList<>(r.toList());
            values.set(4, "");
            return String.join("|", values);
        }).collect(Collectors.joining("\n"));
    }
}
