package io.carteiro.subscribers;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@QuarkusTest
class SubscribersApiTest {

    static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                .contentType(ContentType.JSON);
    }

    static long createList(String optIn) {
        return admin().body("{\"name\":\"" + TestData.unique("api list") + "\",\"optIn\":\"" + optIn
                        + "\",\"fromEmail\":\"news@example.org\",\"consentText\":\"Send me news.\"}")
                .post("/api/lists").then().statusCode(201).body("id", notNullValue())
                .extract().jsonPath().getLong("id");
    }

    static long addSubscriber(long list, String email) {
        return admin().body("{\"email\":\"" + email + "\",\"name\":\"Ana\",\"attributes\":{\"city\":\"Porto\"}}")
                .post("/api/lists/" + list + "/subscribers").then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    @Test
    void createListAnswers201WithItsIdAndTheConsentTextVersion() {
        long id = createList("single");
        admin().get("/api/lists/" + id).then().statusCode(200)
                .body("optIn", equalTo("single")).body("consentTextVersion", equalTo(1))
                .body("consentText", equalTo("Send me news."));
    }

    @Test
    void addingASubscriberAnswers201AndTheSameAddressInAnotherCase409() {
        long list = createList("single");
        String email = TestData.address("Ana");
        long id = addSubscriber(list, email);

        admin().body("{\"email\":\"" + email.toUpperCase() + "\"}").post("/api/lists/" + list + "/subscribers")
                .then().statusCode(409).body("error", containsString("already on list")).body("id", equalTo((int) id));
    }

    @Test
    void findByEmailIsCaseInsensitiveAndShowsSubscriptions() {
        long list = createList("double");
        String email = TestData.address("Bea");
        long id = addSubscriber(list, email);

        admin().queryParam("email", email.toUpperCase()).get("/api/subscribers").then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].id", equalTo((int) id))
                .body("[0].email", equalTo(email))
                .body("[0].name", equalTo("Ana"))
                .body("[0].attributes.city", equalTo("Porto"))
                .body("[0].status", equalTo("active"))
                .body("[0].subscriptions[0].listId", equalTo((int) list))
                .body("[0].subscriptions[0].listName", startsWith("api list"))
                .body("[0].subscriptions[0].status", equalTo("unconfirmed"))
                .body("[0].subscriptions[0].source", equalTo("api"))
                .body("[0].subscriptions[0].subscribedAt", notNullValue());
    }

    @Test
    void invalidEmailIsA400NamingTheField() {
        long list = createList("single");
        admin().body("{\"email\":\"ana@@example\"}").post("/api/lists/" + list + "/subscribers")
                .then().statusCode(400).body("field", equalTo("email")).body("error", containsString("ana@@example"));
        admin().body("{\"name\":\"No address\"}").post("/api/lists/" + list + "/subscribers")
                .then().statusCode(400).body("field", equalTo("email")).body("error", equalTo("email is required"));
    }

    @Test
    void invalidJsonIsA400SayingWhere() {
        long list = createList("single");
        admin().body("{\"email\": \"a@example.org\",").post("/api/lists/" + list + "/subscribers")
                .then().statusCode(400).body("error", containsString("not valid JSON"));
        admin().body("{\"email\": \"a@example.org\", \"attributes\": [1, 2]}")
                .post("/api/lists/" + list + "/subscribers")
                .then().statusCode(400).body("field", equalTo("attributes"));
        admin().body("{\"name\":\"x\",\"optIn\":\"triple\"}").post("/api/lists")
                .then().statusCode(400).body("field", equalTo("optIn")).body("error", containsString("single"));
    }

    @Test
    void oversizedNameIsA400AndNothingIsStored() {
        long list = createList("single");
        String email = TestData.address("long");
        admin().body("{\"email\":\"" + email + "\",\"name\":\"" + "n".repeat(201) + "\"}")
                .post("/api/lists/" + list + "/subscribers")
                .then().statusCode(400).body("field", equalTo("name"))
                .body("error", equalTo("name is longer than 200 characters"));
        admin().body("{\"name\":\"" + "n".repeat(201) + "\"}").post("/api/lists")
                .then().statusCode(400).body("field", equalTo("name"));
        admin().queryParam("email", email).get("/api/subscribers").then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void everyRouteRefusesAnonymousCallers() {
        for (String path : List.of("/api/lists", "/api/lists/1", "/api/subscribers", "/api/subscribers/1",
                "/api/subscribers/1/events", "/api/subscribers/1/export")) {
            given().get(path).then().statusCode(401);
        }
        given().contentType(ContentType.JSON).body("{\"name\":\"x\"}").post("/api/lists").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"email\":\"a@example.org\"}")
                .post("/api/lists/1/subscribers").then().statusCode(401);
        given().post("/api/subscribers/1/erase").then().statusCode(401);
        given().delete("/api/lists/1").then().statusCode(401);
        given().get("/api/suppressions").then().statusCode(401);
    }

    @Test
    void changingASubscriptionAppendsToTheHistory() {
        long list = createList("double");
        long id = addSubscriber(list, TestData.address("cid"));

        admin().body("{\"status\":\"confirmed\"}").put("/api/subscribers/" + id + "/subscriptions/" + list)
                .then().statusCode(200).body("subscriptions[0].status", equalTo("confirmed"))
                .body("subscriptions[0].confirmedAt", notNullValue());
        admin().body("{\"status\":\"gone\"}").put("/api/subscribers/" + id + "/subscriptions/" + list)
                .then().statusCode(400).body("field", equalTo("status"));

        admin().get("/api/subscribers/" + id + "/events").then().statusCode(200)
                .body("event", equalTo(List.of("subscribed", "confirmed")))
                .body("[1].source", equalTo("api"))
                .body("[1].actor", equalTo("admin@carteiro.test"));
    }

    @Test
    void editingChangesTheFieldsAndTheGlobalStatus() {
        long list = createList("single");
        long id = addSubscriber(list, TestData.address("dan"));
        String renamed = TestData.address("daniel");
        admin().body("{\"email\":\"" + renamed + "\",\"name\":\"Daniel\",\"attributes\":{\"tier\":2},"
                        + "\"status\":\"blocklisted\"}")
                .put("/api/subscribers/" + id).then().statusCode(200)
                .body("email", equalTo(renamed)).body("name", equalTo("Daniel"))
                .body("attributes.tier", equalTo(2)).body("status", equalTo("blocklisted"));
    }

    @Test
    void exportThenEraseLeavesNothingAndBlocksTheAddress() {
        long list = createList("single");
        String email = TestData.address("eli");
        long id = addSubscriber(list, email);

        admin().get("/api/subscribers/" + id + "/export").then().statusCode(200)
                .header("Content-Disposition", containsString("attachment"))
                .body("email", equalTo(email))
                .body("subscriptions[0].consentText", equalTo("Send me news."))
                .body("consentHistory.event", equalTo(List.of("subscribed", "confirmed")));

        admin().post("/api/subscribers/" + id + "/erase").then().statusCode(204);

        admin().get("/api/subscribers/" + id).then().statusCode(404);
        admin().get("/api/subscribers/" + id + "/events").then().statusCode(404);
        admin().body("{\"email\":\"" + email + "\"}").post("/api/lists/" + list + "/subscribers")
                .then().statusCode(422).body("error", containsString("erased"));
    }

    @Test
    void keysetPagesCoverEverySubscriberOnceInIdOrder() {
        long list = createList("single");
        List<Long> added = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            added.add(addSubscriber(list, TestData.address("page" + i)));
        }
        List<Long> seen = new ArrayList<>();
        Long after = null;
        int pages = 0;
        do {
            RequestSpecification request = admin().queryParam("listId", list).queryParam("limit", 3);
            if (after != null) {
                request.queryParam("after", after);
            }
            Response page = request.get("/api/subscribers");
            page.then().statusCode(200);
            seen.addAll(page.jsonPath().getList("id", Long.class));
            String next = page.header("X-Next-After");
            after = next == null ? null : Long.parseLong(next);
            pages++;
        } while (after != null);
        assertEquals(added, seen);
        assertEquals(3, pages);
    }

    @Test
    void filtersByPrefixStatusAndAttribute() {
        long list = createList("single");
        String prefix = TestData.unique("zed");
        long porto = addSubscriber(list, prefix + "a@example.org");
        long lisbon = admin().body("{\"email\":\"" + prefix + "b@example.org\",\"attributes\":{\"city\":\"Lisbon\"}}")
                .post("/api/lists/" + list + "/subscribers").then().statusCode(201).extract().jsonPath().getLong("id");
        admin().body("{\"email\":\"" + prefix + "b@example.org\",\"status\":\"bounced\",\"attributes\":{\"city\":\"Lisbon\"}}")
                .put("/api/subscribers/" + lisbon).then().statusCode(200);

        admin().queryParam("q", prefix.toUpperCase()).get("/api/subscribers").then()
                .body("id", equalTo(List.of((int) porto, (int) lisbon)));
        admin().queryParam("q", prefix).queryParam("status", "bounced").get("/api/subscribers").then()
                .body("id", equalTo(List.of((int) lisbon)));
        admin().queryParam("listId", list).queryParam("attr", "city:Lisbon").get("/api/subscribers").then()
                .body("id", equalTo(List.of((int) lisbon)));
        admin().queryParam("status", "sleeping").get("/api/subscribers").then().statusCode(400)
                .body("field", equalTo("status"));
        Response last = admin().queryParam("q", prefix).get("/api/subscribers");
        assertNull(last.header("X-Next-After"));
    }

    @Test
    void aSuppressedDomainAddedOverTheApiBlocksAddingAndCanBeLifted() {
        long list = createList("single");
        String domain = TestData.unique("spam") + ".example";
        long entry = admin()
                .body("{\"kind\":\"domain\",\"value\":\"" + domain.toUpperCase() + "\",\"reason\":\"complaint\"}")
                .post("/api/suppressions").then().statusCode(201).body("value", equalTo(domain))
                .extract().jsonPath().getLong("id");
        admin().body("{\"email\":\"someone@" + domain + "\"}").post("/api/lists/" + list + "/subscribers")
                .then().statusCode(422).body("error", containsString(domain));

        admin().delete("/api/suppressions/" + entry).then().statusCode(204);
        admin().body("{\"email\":\"someone@" + domain + "\"}").post("/api/lists/" + list + "/subscribers")
                .then().statusCode(201);
        admin().body("{\"kind\":\"address\",\"value\":\"not an address\"}").post("/api/suppressions")
                .then().statusCode(400).body("field", equalTo("value"));
        admin().body("{\"kind\":\"planet\",\"value\":\"x\"}").post("/api/suppressions")
                .then().statusCode(400).body("field", equalTo("kind"));
    }

    @Test
    void deletingAListKeepsTheConsentHistoryOfItsSubscribers() {
        long list = createList("single");
        long id = addSubscriber(list, TestData.address("fin"));
        admin().delete("/api/lists/" + list).then().statusCode(204);
        admin().get("/api/lists/" + list).then().statusCode(404);
        admin().get("/api/subscribers/" + id + "/events").then().statusCode(200)
                .body("event", equalTo(List.of("subscribed", "confirmed", "removed")));
    }
}
