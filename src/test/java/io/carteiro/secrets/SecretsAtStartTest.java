package io.carteiro.secrets;

import io.carteiro.MariaDbTestResource;
import io.carteiro.support.PackagedApp;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 12.19, on the packaged application: an installation upgraded from a Carteiro that kept its secrets in plain
 * text (its schema made by the migrations before V104, its rows as it wrote them) gets a private key file at the first
 * start, and every secret is encrypted then and goes on working (a link signed before still opens); a new key put in
 * front of the old one re-encrypts everything, after which the old key can go; and an instance without the key
 * refuses to start, saying why. Four starts of the packaged application, the fewest that show these.
 */
class SecretsAtStartTest {

    static final String PASSWORD = "secrets test password";
    static final String USER = MariaDbTestResource.user();
    static final String DB_PASSWORD = MariaDbTestResource.password();
    /** The migration that marks the secret rows: an installation without encrypted secrets ran only those before. */
    static final String SECRETS_MARKED = "104";

    final List<Process> processes = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    String url;
    Path dataDir;

    @AfterEach
    void stop() throws InterruptedException, SQLException {
        for (Process p : processes) {
            p.destroyForcibly().waitFor();
        }
        if (url != null) {
            try (Connection c = DriverManager.getConnection(url, USER, DB_PASSWORD)) {
                c.createStatement().executeUpdate("DROP DATABASE " + url.substring(url.lastIndexOf('/') + 1));
            }
        }
    }

    private static String root(String jdbcUrl) {
        String withoutOptions = jdbcUrl.contains("?") ? jdbcUrl.substring(0, jdbcUrl.indexOf('?')) : jdbcUrl;
        return withoutOptions.substring(0, withoutOptions.lastIndexOf('/') + 1);
    }

    @Test
    void plainSecretsAreEncryptedAtStartAndKeysRotateWithoutBreakingOldLinks() throws Exception {
        PackagedApp.require();
        // A database of our own on the test run's one MariaDB server (shared with the other multi-process tests).
        String configured = System.getenv("CARTEIRO_TEST_DB_URL");
        String server = root(configured != null && !configured.isBlank() ? configured
                : MariaDbTestResource.sharedEmbeddedServer());
        String database = "secrets_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(server, USER, DB_PASSWORD)) {
            c.createStatement().executeUpdate("CREATE DATABASE " + database
                    + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        url = server + database;
        dataDir = Path.of("target", "secrets-it", UUID.randomUUID().toString());

        // What an older Carteiro left: its schema (every migration before secrets were marked, V104) and its
        // secrets in plain text, in the rows and formats it wrote them.
        MigrationVersion secretsMarked = MigrationVersion.fromVersion(SECRETS_MARKED);
        MigrationVersion before = java.util.Arrays.stream(Flyway.configure().dataSource(url, USER, DB_PASSWORD)
                        .locations("classpath:db/migration").load().info().pending())
                .map(org.flywaydb.core.api.MigrationInfo::getVersion).filter(v -> v.compareTo(secretsMarked) < 0)
                .max(MigrationVersion::compareTo).orElseThrow();
        Flyway.configure().dataSource(url, USER, DB_PASSWORD).locations("classpath:db/migration").target(before)
                .load().migrate();
        byte[] legacyLinkKey = random(32);
        String legacyVerp = Base64.getEncoder().encodeToString(random(32));
        String legacySalt = HexFormat.of().formatHex(random(32));
        KeyPair dkim = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String legacyDkim = Base64.getEncoder().encodeToString(dkim.getPrivate().getEncoded());
        execute("INSERT INTO app_setting (name, value) VALUES ('links.generated-key', ?)",
                "gold0001:" + HexFormat.of().formatHex(legacyLinkKey));
        execute("INSERT INTO app_setting (name, value) VALUES ('delivery.verp-key', ?)", legacyVerp);
        execute("INSERT INTO app_setting (name, value) VALUES ('erasure.salt', ?)", legacySalt);
        execute("INSERT INTO dkim_key (domain, selector, algorithm, private_key, public_key, active, created_at)"
                + " VALUES ('legacy.test', 'old', 'ed25519-sha256', ?, 'AAAA', TRUE, NOW(6))", legacyDkim);
        Legacy legacy = new Legacy(legacyLinkKey, legacyVerp, legacySalt, legacyDkim);

        // The upgrade's first start: the key file is made, private to its owner, and every plain secret is sealed
        // under its key; a link the old key signed still opens, and no secret reaches the log.
        App upgraded = start("upgraded", null);
        Path keyFile = dataDir.resolve("secrets.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        String fileKey = Files.readString(keyFile).lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        SecretKeys k1 = SecretKeys.parse(fileKey, "file");
        assertSealedUnder(k1, legacy);
        long subscriber = subscriber(upgraded);
        String oldLink = "/p/" + DatabaseDumpTest.forgePreferencesToken("gold0001", legacyLinkKey, subscriber);
        assertEquals(200, get(upgraded, oldLink));
        String log = Files.readString(upgraded.log());
        assertTrue(log.contains("Encrypted 3 secret(s) in app_setting"), log);
        assertTrue(log.contains("Encrypted 1 DKIM private key(s)"), log);
        for (String secret : List.of(fileKey, HexFormat.of().formatHex(legacyLinkKey), legacyVerp, legacySalt)) {
            assertFalse(log.contains(secret), "a secret in the log");
        }
        stopped(upgraded);

        // Rotation: a new key in front of the old one re-encrypts everything...
        String newKey = Base64.getEncoder().encodeToString(random(32));
        SecretKeys k2 = SecretKeys.parse(newKey, "new");
        stopped(start("rotating", newKey + "," + fileKey));
        assertSealedUnder(k2, legacy);
        // ...so the old key can go, and old links still open.
        App rotated = start("rotated", newKey);
        assertEquals(200, get(rotated, oldLink));
        stopped(rotated);

        // An instance that lacks the key does not start on secrets it cannot read.
        App stranger = launch("stranger", Base64.getEncoder().encodeToString(random(32)));
        assertTrue(stranger.process().waitFor(180, TimeUnit.SECONDS), "the instance without the key exits");
        assertNotEquals(0, stranger.process().exitValue());
        assertTrue(Files.readString(stranger.log()).contains("which this instance does not have"),
                Files.readString(stranger.log()));
    }

    /** The plain secrets an older Carteiro left. */
    record Legacy(byte[] linkKey, String verp, String salt, String dkim) {
    }

    private void assertSealedUnder(SecretKeys keys, Legacy legacy) throws SQLException {
        SecretBox box = new SecretBox(keys);
        String link = value("SELECT value FROM app_setting WHERE name = 'links.generated-key' AND secret");
        String verpValue = value("SELECT value FROM app_setting WHERE name = 'delivery.verp-key' AND secret");
        String saltValue = value("SELECT value FROM app_setting WHERE name = 'erasure.salt' AND secret");
        String dkimValue = value("SELECT private_key FROM dkim_key WHERE domain = 'legacy.test'");
        for (String sealed : List.of(link, verpValue, saltValue, dkimValue)) {
            assertTrue(box.isCurrent(sealed), "not sealed under key " + keys.currentId() + ": " + sealed);
        }
        assertEquals("gold0001:" + HexFormat.of().formatHex(legacy.linkKey()),
                box.open(link, "app_setting/links.generated-key"));
        assertEquals(legacy.verp(), box.open(verpValue, "app_setting/delivery.verp-key"));
        assertEquals(legacy.salt(), box.open(saltValue, "app_setting/erasure.salt"));
        assertEquals(legacy.dkim(), box.open(dkimValue, "dkim_key/legacy.test/old"));
    }

    record App(String name, Process process, Path log, int port) {
    }

    /** Launches an instance and waits until it says it started (Flyway and the start's sealing are done by then). */
    private App start(String name, String secretsKey) throws Exception {
        App app = launch(name, secretsKey);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
        while (Instant.now().isBefore(deadline)) {
            String log = Files.exists(app.log()) ? Files.readString(app.log()) : "";
            if (log.contains(" started in ")) {
                return app;
            }
            if (!app.process().isAlive()) {
                fail(name + " exited at start:\n" + log);
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // polling the log, not waiting for time
        }
        fail(name + " did not start");
        return null;
    }

    private App launch(String name, String secretsKey) throws IOException {
        int port = freePort();
        Path log = Path.of("target", "secrets-" + name + ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.datasource.jdbc.url=" + url,
                "-Dquarkus.datasource.username=" + USER,
                "-Dquarkus.datasource.password=" + DB_PASSWORD,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + freePort(),
                "-Dcarteiro.data-dir=" + dataDir,
                "-Dcarteiro.api.basic-auth=true",
                "-Dcarteiro.admin.email=admin@secrets.test",
                "-Dcarteiro.admin.password=" + PASSWORD,
                "-Dcarteiro.public-url=http://127.0.0.1:" + port,
                "-Dcarteiro.delivery.sender-enabled=false",
                "-Dcarteiro.bounce.listener-host=127.0.0.1",
                "-Dcarteiro.bounce.listener-port=0",
                "-jar", PackagedApp.JAR.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("CARTEIRO_SECRETS_KEY");
        if (secretsKey != null) {
            builder.environment().put("CARTEIRO_SECRETS_KEY", secretsKey);
        }
        Process process = builder.start();
        processes.add(process);
        return new App(name, process, log, port);
    }

    private static void stopped(App app) throws InterruptedException {
        app.process().destroy();
        if (!app.process().waitFor(60, TimeUnit.SECONDS)) {
            app.process().destroyForcibly().waitFor();
        }
    }

    /** A subscriber made through the API of the running instance. */
    private long subscriber(App app) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin@secrets.test:" + PASSWORD).getBytes());
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base(app) + "/api/lists"))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Secrets\",\"optIn\":\"single\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, list.statusCode(), list.body());
        long listId = Long.parseLong(list.body().replaceAll("^\\{\"id\":(\\d+).*", "$1"));
        HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create(base(app) + "/api/lists/" + listId
                        + "/subscribers")).header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"kept@secrets.test\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, added.statusCode(), added.body());
        return Long.parseLong(added.body().replaceAll("^\\{\"id\":(\\d+).*", "$1"));
    }

    private int get(App app, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base(app) + path)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String base(App app) {
        return "http://127.0.0.1:" + app.port();
    }

    private void execute(String sql, String value) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, USER, DB_PASSWORD);
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, value);
            s.executeUpdate();
        }
    }

    private String value(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, USER, DB_PASSWORD);
             PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            assertTrue(r.next(), sql);
            return r.getString(1);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return s.getLocalPort();
        }
    }
}
