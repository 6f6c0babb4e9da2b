package io.carteiro;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.File;
import java.util.Map;

/**
 * Gives every Quarkus test a real MariaDB: the server named by {@code CARTEIRO_TEST_DB_URL} (with
 * {@code CARTEIRO_TEST_DB_USER} / {@code CARTEIRO_TEST_DB_PASSWORD}), else the embedded one on a free port with its
 * data under {@code target/}.
 */
public class MariaDbTestResource implements QuarkusTestResourceLifecycleManager {

    static final String EMBEDDED_URL_PROPERTY = "carteiro.test.embedded-db-url";
    static final String EMBEDDED_USER_PROPERTY = "carteiro.test.embedded-db-user";
    static final String EMBEDDED_PASSWORD_PROPERTY = "carteiro.test.embedded-db-password";

    @Override
    public Map<String, String> start() {
        String url = System.getenv("CARTEIRO_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return Map.of(
                    "quarkus.datasource.jdbc.url", url,
                    "quarkus.datasource.username", env("CARTEIRO_TEST_DB_USER", "root"),
                    "quarkus.datasource.password", env("CARTEIRO_TEST_DB_PASSWORD", ""),
                    "quarkus.flyway.clean-at-start", "true",
                    "quarkus.flyway.clean-disabled", "false");
        }
        // A test profile restarts Quarkus in a new class loader, where EmbeddedMariaDb's static state is fresh: the
        // JVM-wide system property keeps the second start from launching another server on the same data directory.
        String embedded = sharedEmbeddedServer();
        return Map.of(
                "quarkus.datasource.jdbc.url", embedded,
                "quarkus.datasource.username", user(),
                "quarkus.datasource.password", password());
    }

    /** The account tests sign in with: {@code CARTEIRO_TEST_DB_USER}, else the embedded server's. */
    public static String user() {
        if (serverConfigured()) {
            return env("CARTEIRO_TEST_DB_USER", "root");
        }
        sharedEmbeddedServer();
        return System.getProperty(EMBEDDED_USER_PROPERTY);
    }

    /** Its password: {@code CARTEIRO_TEST_DB_PASSWORD}, else the one the embedded server generated. */
    public static String password() {
        if (serverConfigured()) {
            return env("CARTEIRO_TEST_DB_PASSWORD", "");
        }
        sharedEmbeddedServer();
        return System.getProperty(EMBEDDED_PASSWORD_PROPERTY);
    }

    private static boolean serverConfigured() {
        String url = System.getenv("CARTEIRO_TEST_DB_URL");
        return url != null && !url.isBlank();
    }

    /**
     * The test run's embedded MariaDB: started on first use (data under target/test-mariadb/data-&lt;pid&gt;) and
     * published in a JVM-wide property, so every Quarkus start and every multi-process test of the run share it.
     * Data directories left by earlier test JVMs that are no longer running are deleted first (each is ~0.7 GB).
     */
    public static synchronized String sharedEmbeddedServer() {
        String embedded = System.getProperty(EMBEDDED_URL_PROPERTY);
        if (embedded == null) {
            File root = new File("target/test-mariadb");
            deleteStaleDataDirectories(root);
            EmbeddedMariaDb.Endpoint endpoint =
                    EmbeddedMariaDb.start(new File(root, "data-" + ProcessHandle.current().pid()), 0);
            embedded = endpoint.jdbcUrl();
            System.setProperty(EMBEDDED_USER_PROPERTY, endpoint.user());
            System.setProperty(EMBEDDED_PASSWORD_PROPERTY, endpoint.password());
            System.setProperty(EMBEDDED_URL_PROPERTY, embedded);
        }
        return embedded;
    }

    private static void deleteStaleDataDirectories(File root) {
        File[] dirs = root.listFiles((d, name) -> name.matches("data-\\d+(-base|-password|\\.log)?"));
        if (dirs == null) {
            return;
        }
        for (File dir : dirs) {
            long pid = Long.parseLong(dir.getName().replaceAll("\\D", ""));
            if (ProcessHandle.of(pid).isEmpty()) {
                delete(dir);
            }
        }
    }

    private static void delete(File file) {
        File[] children = file.isDirectory() && !java.nio.file.Files.isSymbolicLink(file.toPath())
                ? file.listFiles() : null;
        if (children != null) {
            for (File child : children) {
                delete(child);
            }
        }
        file.delete();
    }

    @Override
    public void stop() {
        // The embedded server lives as long as the test JVM (a shutdown hook stops it), so that every test class
        // of the run shares one server instead of paying its start-up each time.
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
