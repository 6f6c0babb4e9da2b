package io.carteiro.ops;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Times are UTC DATETIME(6) everywhere, so nothing ends in January 2038. */
@QuarkusTest
class UtcTimesTest {

    @Inject
    AgroalDataSource dataSource;

    static RequestSpecification api() {
        return given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                .contentType(ContentType.JSON);
    }

    @Test
    void noColumnOfOursShouldBeATimestamp() throws SQLException {
        List<String> timestamps = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             ResultSet r = c.createStatement().executeQuery("SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME)"
                     + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND DATA_TYPE = 'timestamp'"
                     + " AND TABLE_NAME <> 'flyway_schema_history'")) {
            while (r.next()) {
                timestamps.add(r.getString(1));
            }
        }
        assertEquals(List.of(), timestamps, "TIMESTAMP columns end in 2038; use DATETIME(6) in UTC");
    }

    @Test
    void everyConnectionShouldRunItsSessionInUtc() throws SQLException {
        try (Connection c = dataSource.getConnection();
             ResultSet r = c.createStatement().executeQuery("SELECT @@session.time_zone")) {
            r.next();
            assertEquals("+00:00", r.getString(1),
                    "NOW(6) and column defaults must be UTC, whatever the server's zone");
        }
    }

    @Test
    void campaignScheduledFor2040ShouldKeepItsTimeAndItsTrigger() throws SQLException {
        long list = api().body(Map.of("name", "Far future " + System.nanoTime(), "optIn", "single",
                "fromEmail", "news@example.org")).post("/api/lists").then().statusCode(201).extract().jsonPath()
                .getLong("id");
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Twenty forty");
        body.put("subject", "Hello from 2040");
        body.put("fromEmail", "news@example.org");
        body.put("listIds", List.of(list));
        body.put("html", "<p>Hello</p><p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>");
        long campaign = api().body(body).post("/api/campaigns").then().statusCode(201).extract().jsonPath()
                .getLong("id");
        Instant sendAt = Instant.parse("2040-06-01T09:30:00.123456Z");

        api().body(Map.of("sendAt", sendAt.toString())).post("/api/campaigns/" + campaign + "/schedule")
                .then().statusCode(200);

        var state = api().get("/api/campaigns/" + campaign).then().statusCode(200).extract().jsonPath();
        assertEquals("scheduled", state.getString("status"));
        assertEquals(sendAt, Instant.parse(state.getString("sendAt")));
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT NEXT_FIRE_TIME FROM QRTZ_TRIGGERS"
                     + " WHERE TRIGGER_NAME = ?")) {
            s.setString(1, "campaign-" + campaign);
            try (ResultSet r = s.executeQuery()) {
                List<Long> fireTimes = new ArrayList<>();
                while (r.next()) {
                    fireTimes.add(r.getLong(1));
                }
                assertEquals(List.of(sendAt.toEpochMilli()), fireTimes, "one Quartz trigger fires at the time");
            }
        }
    }
}
