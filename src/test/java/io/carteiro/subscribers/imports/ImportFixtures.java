package io.carteiro.subscribers.imports;

import io.agroal.api.AgroalDataSource;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

/** Lists made straight in the schema, uploads through the API, and a poll of the job until it ends. */
final class ImportFixtures {

    static final String ADMIN = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";

    private final AgroalDataSource db;

    ImportFixtures(AgroalDataSource db) {
        this.db = db;
    }

    static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static RequestSpecification api() {
        return given().auth().preemptive().basic(ADMIN, PASSWORD);
    }

    /** A list with consent text version 1. */
    long newList(String name) throws SQLException {
        try (Connection c = db.getConnection()) {
            long id;
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO mailing_list (name, opt_in, consent_text_version) VALUES (?, 'single', 1)",
                    Statement.RETURN_GENERATED_KEYS)) {
                s.setString(1, name);
                s.executeUpdate();
                try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO consent_text (list_id, version, body) VALUES (?, 1, 'Yes, send me the news')")) {
                s.setLong(1, id);
                s.executeUpdate();
            }
            return id;
        }
    }

    /** Uploads and returns the job id (expects 202). */
    static long upload(long listId, byte[] csv, String... query) {
        RequestSpecification request = api().contentType("text/csv").body(csv);
        request.queryParam("legalBasis", "consent collected at the test fair");
        for (int i = 0; i + 1 < query.length; i += 2) {
            request.queryParam(query[i], query[i + 1]);
        }
        return request.post("/api/lists/" + listId + "/imports").then().statusCode(202)
                .extract().jsonPath().getLong("id");
    }

    /** Polls the job until it is done or failed. */
    static JsonPath awaitEnd(long importId, Duration patience) {
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            JsonPath job = api().get("/api/imports/" + importId).then().statusCode(200).extract().jsonPath();
            String state = job.getString("state");
            if ("done".equals(state) || "failed".equals(state)) {
                return job;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // poll interval, not a wait for an event
        }
        fail("import " + importId + " did not end within " + patience);
        return null;
    }

    static JsonPath awaitEnd(long importId) {
        return awaitEnd(importId, Duration.ofSeconds(60));
    }

    long count(String sql, Object... params) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    List<String> strings(String sql, Object... params) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    values.add(r.getString(1));
                }
            }
            return values;
        }
    }

    void execute(String sql, Object... params) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }

    long subscriptions(long listId) throws SQLException {
        return count("SELECT COUNT(*) FROM subscription WHERE list_id = ?", listId);
    }

    long consentEvents(long listId) throws SQLException {
        return count("SELECT COUNT(*) FROM consent_event WHERE list_id = ?", listId);
    }
}
