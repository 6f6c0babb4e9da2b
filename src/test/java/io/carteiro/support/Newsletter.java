package io.carteiro.support;

import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a list owner does through the API to send a campaign from a packaged Carteiro: a single opt-in list, its
 * subscribers imported from a CSV file, a campaign to it scheduled now or later.
 */
public final class Newsletter {

    private Newsletter() {
    }

    public static long list(CarteiroProcess app, String name) {
        return app.api().body(Map.of("name", name, "optIn", "single", "fromEmail", "news@sender.ops.test"))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Imports the addresses (one CSV upload) and waits until the import is done. */
    public static void importSubscribers(CarteiroProcess app, long listId, List<String> addresses)
            throws InterruptedException {
        StringBuilder csv = new StringBuilder("email,name\n");
        for (int i = 0; i < addresses.size(); i++) {
            csv.append(addresses.get(i)).append(",Reader ").append(i + 1).append('\n');
        }
        long job = app.api().contentType("text/csv").body(csv.toString())
                .queryParam("legalBasis", "consent").post("/api/lists/" + listId + "/imports")
                .then().statusCode(202).extract().jsonPath().getLong("id");
        CarteiroProcess.awaitTrue(Duration.ofMinutes(5), () -> "done".equals(app.api().get("/api/imports/" + job)
                .then().extract().jsonPath().getString("state")), "import " + job + " was done");
    }

    /** Creates a campaign to the list and schedules it ({@code sendAt} null: now). */
    public static long campaign(CarteiroProcess app, long listId, Instant sendAt) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Ops campaign " + Instant.now());
        body.put("subject", "Hello {subscriber.name}");
        body.put("fromEmail", "news@sender.ops.test");
        body.put("listIds", List.of(listId));
        body.put("html", "<p>Hello {subscriber.name}</p><p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>");
        long id = app.api().body(body).post("/api/campaigns").then().statusCode(201).extract()
                .jsonPath().getLong("id");
        Map<String, Object> schedule = new HashMap<>();
        schedule.put("sendAt", sendAt == null ? null : sendAt.toString());
        app.api().body(schedule).post("/api/campaigns/" + id + "/schedule").then().statusCode(200);
        return id;
    }

    public static JsonPath campaignState(CarteiroProcess app, long id) {
        return app.api().get("/api/campaigns/" + id).then().statusCode(200).extract().jsonPath();
    }
}
