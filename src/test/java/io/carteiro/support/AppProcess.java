package io.carteiro.support;

import io.carteiro.MariaDbTestResource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One packaged Carteiro JVM for tests of what only a whole process shows (its log, its defaults): on a database of
 * its own on the test run's MariaDB, listening on loopback only, its log kept in {@code target/}. Settings not given
 * keep the product's defaults, except the ports and the bounce listener, which tests must not fix.
 */
public final class AppProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final int managementPort;

    private AppProcess(Process process, Path log, int httpPort, int managementPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /** A new, empty database on the test run's MariaDB; returns its JDBC URL. */
    public static String freshDatabase() throws SQLException {
        String server = System.getenv("CARTEIRO_TEST_DB_URL");
        String base = server != null && !server.isBlank() ? server : MariaDbTestResource.sharedEmbeddedServer();
        String withoutOptions = base.contains("?") ? base.substring(0, base.indexOf('?')) : base;
        String root = withoutOptions.substring(0, withoutOptions.lastIndexOf('/') + 1);
        String database = "app_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40), 36);
        try (Connection c = DriverManager.getConnection(root, MariaDbTestResource.user(), MariaDbTestResource.password()); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        return root + database;
    }

    /** Starts the packaged app on {@code databaseUrl} with these system properties and waits until it is ready. */
    public static AppProcess start(String name, String databaseUrl, Map<String, String> properties)
            throws IOException, InterruptedException {
        Path jar = PackagedApp.require();
        int http = PackagedApp.freeLoopbackPort();
        int management = PackagedApp.freeLoopbackPort();
        Path log = Path.of("target", "app-" + name + "-" + ProcessHandle.current().pid() + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.datasource.jdbc.url=" + databaseUrl,
                "-Dquarkus.datasource.username=" + MariaDbTestResource.user(),
                "-Dquarkus.datasource.password=" + MariaDbTestResource.password(),
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + http,
                "-Dquarkus.management.port=" + management,
                "-Dcarteiro.bounce.listener-host=127.0.0.1",
                "-Dcarteiro.bounce.listener-port=0",
                "-Dcarteiro.delivery.sender-enabled=false"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AppProcess app = new AppProcess(process, log, http, management);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        while (!PackagedApp.ready(management)) {
            if (!process.isAlive()) {
                throw new AssertionError("Carteiro '" + name + "' exited with " + process.exitValue() + "; see " + log);
            }
            if (Instant.now().isAfter(deadline)) {
                app.close();
                throw new AssertionError("Carteiro '" + name + "' was not ready within 180 s; see " + log);
            }
            Thread.sleep(200);
        }
        return app;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int managementPort() {
        return managementPort;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Stops the process (SIGTERM, then SIGKILL) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
