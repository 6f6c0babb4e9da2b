package io.carteiro.subscribers;

import io.agroal.api.AgroalDataSource;
import io.carteiro.support.Visitors;
import io.carteiro.web.AdminBrowser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.carteiro.support.Visitors.api;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 12.17: the limits on attributes are the same on every path. Deeply nested JSON is refused with 400 (it was a
 * 500 from the database), and an import stores no more than the API accepts (16,384 characters of JSON), also when
 * an imported row is merged into attributes already stored.
 */
@QuarkusTest
class OneAttributeLimitTest {

    @Inject
    AgroalDataSource db;

    static String nested(int levels) {
        return "[".repeat(levels) + "]".repeat(levels);
    }

    @Test
    void deeplyNestedAttributesAre400OnTheApiAndTheAdminPage() {
        long list = Visitors.publicList(db, "Deep", "single");
        for (int levels : new int[]{900, 40, 16}) {
            String email = "deep" + levels + "-" + Visitors.unique() + "@example.org";
            api().contentType("application/json")
                    .body("{\"email\":\"" + email + "\",\"attributes\":{\"a\":" + nested(levels) + "}}")
                    .post("/api/lists/" + list + "/subscribers").then().statusCode(400)
                    .body("field", equalTo("attributes"))
                    .body("error", equalTo("attributes are nested more than 16 levels deep"));
            AdminBrowser admin = AdminBrowser.signIn();
            admin.open("/admin/subscribers/new?listId=" + list);
            admin.post("/admin/subscribers", Map.of("email", email, "listId", list,
                    "attributes", "{\"a\":" + nested(levels) + "}")).then().statusCode(400)
                    .body(containsString("nested more than 16 levels deep"));
            api().queryParam("email", email).get("/api/subscribers").then().body("size()", equalTo(0));
        }
        String email = "deep15-" + Visitors.unique() + "@example.org";
        api().contentType("application/json")
                .body("{\"email\":\"" + email + "\",\"attributes\":{\"a\":" + nested(15) + "}}")
                .post("/api/lists/" + list + "/subscribers").then().statusCode(201);
        long id = Visitors.subscriberId(email);
        api().contentType("application/json")
                .body("{\"email\":\"" + email + "\",\"attributes\":{\"a\":" + nested(900) + "}}")
                .put("/api/subscribers/" + id).then().statusCode(400).body("field", equalTo("attributes"));
    }

    @Test
    void anImportStoresNoMoreAttributesThanTheApiAccepts() {
        long list = Visitors.publicList(db, "Wide", "single");
        String tag = Visitors.unique();
        StringBuilder header = new StringBuilder("email");
        StringBuilder wide = new StringBuilder("wide-" + tag + "@example.org");
        // 400 attributes (the API takes up to 500) of 50 characters: past the limit on characters, not on count
        for (int i = 0; i < 400; i++) {
            header.append(",a").append(i);
            wide.append(",v").append("w".repeat(50)).append(i);
        }
        StringBuilder narrow = new StringBuilder("narrow-" + tag + "@example.org");
        for (int i = 0; i < 400; i++) {
            narrow.append(i < 3 ? ",x" : ",");
        }
        JsonPath job = upload(list, header + "\n" + wide + "\n" + narrow + "\n");
        assertEquals(1, job.getInt("rowsAdded"), job.prettify());
        assertEquals(1, job.getInt("rowsFailed"), job.prettify());
        assertEquals(List.of("attributes are larger than 16384 characters of JSON"), job.getList("errors.reason"));
        api().queryParam("email", "wide-" + tag + "@example.org").get("/api/subscribers").then()
                .body("size()", equalTo(0));

        // The API refuses the same document.
        Map<String, Object> attributes = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            attributes.put("a" + i, "v" + "w".repeat(50) + i);
        }
        api().contentType("application/json").body(Map.of("email", "wide-" + tag + "@example.org",
                "attributes", attributes)).post("/api/lists/" + list + "/subscribers").then().statusCode(400)
                .body("error", equalTo("attributes are larger than 16384 characters of JSON"));
    }

    @Test
    void anImportThatWouldGrowStoredAttributesPastTheLimitLeavesThemAsTheyWere() {
        long list = Visitors.publicList(db, "Merge", "single");
        String email = "merge-" + Visitors.unique() + "@example.org";
        api().contentType("application/json").body(Map.of("email", email, "attributes",
                Map.of("notes", "n".repeat(15_800)))).post("/api/lists/" + list + "/subscribers").then()
                .statusCode(201);
        JsonPath job = upload(list, "email,more\n" + email + "," + "m".repeat(900) + "\n");
        assertEquals(0, job.getInt("rowsUpdated"), job.prettify());
        assertEquals(List.of("attributes are larger than 16384 characters of JSON once merged with the stored ones;"
                + " row left out"), job.getList("errors.reason"), job.prettify());
        api().queryParam("email", email).get("/api/subscribers").then()
                .body("[0].attributes.keySet()", equalTo(java.util.Set.of("notes")));
    }

    static JsonPath upload(long list, String csv, String... query) {
        var request = api().contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .queryParam("legalBasis", "consent collected at the test fair");
        for (int i = 0; i + 1 < query.length; i += 2) {
            request.queryParam(query[i], query[i + 1]);
        }
        long id = request.post("/api/lists/" + list + "/imports").then().statusCode(202).extract().jsonPath()
                .getLong("id");
        return ControlCharactersInNamesTest.awaitEnd(id);
    }
}
