package io.carteiro.support;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/**
 * What the attack tests do as the people involved: the list owner through the JSON API (HTTP Basic, as the
 * {@code %test} profile allows), a visitor through the public form, each visitor from an address of its own (the
 * test peer is a trusted proxy, so {@code X-Forwarded-For} names the visitor) so that the per-IP limits of one test
 * do not spill into another.
 */
public final class Visitors {

    public static final String ADMIN = "admin@carteiro.test";
    public static final String PASSWORD = "correct horse battery staple";
    private static final AtomicInteger NEXT_IP = new AtomicInteger();

    private Visitors() {
    }

    public static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A fresh client address for one visitor (10.200.x.y). */
    public static String visitorIp() {
        int n = NEXT_IP.incrementAndGet();
        return "10.200." + (n / 250 % 250) + "." + (n % 250 + 1);
    }

    public static RequestSpecification api() {
        return given().auth().preemptive().basic(ADMIN, PASSWORD);
    }

    /**
     * A list made through the API with its public sign-up form switched on. No page or route can switch the form on
     * yet (issue 15.1), so that one column is set in SQL; everything else goes through the API.
     */
    public static long publicList(DataSource db, String name, String optIn) {
        long id = api().contentType("application/json")
                .body(Map.of("name", name + " " + unique(), "optIn", optIn, "fromEmail", "news@example.org",
                        "fromName", "Example News"))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE mailing_list SET public_form = TRUE WHERE id = ?")) {
            s.setLong(1, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    /** A sign-up through the public form, from a client address of its own. */
    public static Response signUp(long listId, String email, String name) {
        return signUpFrom(visitorIp(), listId, email, name);
    }

    public static Response signUpFrom(String ip, long listId, String email, String name) {
        RequestSpecification form = given().header("X-Forwarded-For", ip).formParam("email", email)
                .formParam("consent", "yes");
        if (name != null) {
            form.formParam("name", name);
        }
        return form.post("/subscribe/" + listId);
    }

    /** The subscriber's id, looked up through the API. */
    public static long subscriberId(String email) {
        return api().queryParam("email", email).get("/api/subscribers").then().statusCode(200)
                .extract().jsonPath().getLong("[0].id");
    }

    /** A list's export through the API, parsed. */
    public static List<CSVRecord> exportOf(long listId) {
        return csv(api().get("/api/lists/" + listId + "/export").then().statusCode(200).extract().asString());
    }

    public static List<CSVRecord> csv(String text) {
        try {
            return CSVFormat.DEFAULT.parse(new StringReader(text)).getRecords();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Subject and text of the mails the engine holds for this address, oldest first (read, never written). */
    public static List<String[]> queuedMails(DataSource db, String email) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT c.subject, c.text FROM outbound_message m
                JOIN outbound_content c ON c.outbound_message_id = m.id
                WHERE LOWER(m.recipient) = LOWER(?) ORDER BY m.id""")) {
            s.setString(1, email);
            List<String[]> mails = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    mails.add(new String[]{r.getString(1), r.getString(2)});
                }
            }
            return mails;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
