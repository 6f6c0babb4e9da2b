package io.carteiro.support;

import io.carteiro.MariaDbTestResource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Databases of their own for tests that start whole Carteiro processes, on the test run's MariaDB (the server named
 * by {@code CARTEIRO_TEST_DB_URL}, else the run's embedded one), so those processes share neither queue nor Quartz
 * cluster with the in-JVM test application.
 */
public final class TestDatabases {

    private TestDatabases() {
    }

    /** Creates a fresh database named {@code <prefix><random>}; returns its JDBC URL. */
    public static String create(String prefix) throws SQLException {
        String server = System.getenv("CARTEIRO_TEST_DB_URL");
        String base = server != null && !server.isBlank() ? server : MariaDbTestResource.sharedEmbeddedServer();
        String withoutOptions = base.contains("?") ? base.substring(0, base.indexOf('?')) : base;
        String root = withoutOptions.substring(0, withoutOptions.lastIndexOf('/') + 1);
        String database = prefix + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40), 36);
        try (Connection c = DriverManager.getConnection(root, user(), password()); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        return root + database;
    }

    /** Drops a database made by {@link #create}. */
    public static void drop(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user(), password()); Statement s = c.createStatement()) {
            s.executeUpdate("DROP DATABASE " + url.substring(url.lastIndexOf('/') + 1));
        }
    }

    /** The test run's database login (the embedded server's generated one, or CARTEIRO_TEST_DB_USER). */
    public static String user() {
        return MariaDbTestResource.user();
    }

    public static String password() {
        return MariaDbTestResource.password();
    }
}
