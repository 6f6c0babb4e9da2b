package io.carteiro.campaigns;

import io.agroal.api.AgroalDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Lists, subscribers and subscriptions written straight into the V1 tables, uniquely named per test. */
final class CampaignFixture {

    final AgroalDataSource dataSource;
    final String tag = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50), 36);

    CampaignFixture(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    long list(String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO mailing_list (name, from_email) VALUES (?, ?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, name + " " + tag);
            s.setString(2, "news@sender.test");
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Subscribers {@code <prefix><i>-<tag>@<domain(i)>}, in order; returns their ids. */
    List<Long> subscribers(int count, String prefix, java.util.function.IntFunction<String> domain, String name,
                           String status) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     INSERT INTO subscriber (email, email_key, domain, name, attributes, status)
                     VALUES (?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < count; i++) {
                String d = domain.apply(i);
                String email = prefix + i + "-" + tag + "@" + d;
                s.setString(1, email);
                s.setString(2, email.toLowerCase());
                s.setString(3, d);
                s.setString(4, name);
                s.setString(5, i % 2 == 0 ? "{\"city\": \"Porto\"}" : null);
                s.setString(6, status);
                s.executeUpdate();
                try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    ids.add(keys.getLong(1));
                }
            }
        }
        return ids;
    }

    void subscribe(long listId, List<Long> subscriberIds, String status) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     INSERT INTO subscription (list_id, subscriber_id, status, source) VALUES (?, ?, ?, 'admin')""")) {
            for (long id : subscriberIds) {
                s.setLong(1, listId);
                s.setLong(2, id);
                s.setString(3, status);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Suppresses an address or a domain the way an admin does, through the API. */
    void suppress(String kind, String value) {
        CampaignsApiTest.api().body(java.util.Map.of("kind", kind, "value", value)).post("/api/suppressions")
                .then().statusCode(201);
    }

    String email(long subscriberId) throws SQLException {
        return single("SELECT email FROM subscriber WHERE id = " + subscriberId);
    }

    long count(String sql) throws SQLException {
        return Long.parseLong(single(sql));
    }

    String single(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    List<Long> longs(String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getLong(1));
            }
        }
        return out;
    }

    void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}
