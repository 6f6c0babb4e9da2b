package io.carteiro.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server from Debian's {@code mariadb-server} package, started by a test on a free loopback port with a
 * data directory of its own (never the machine's {@code /var/lib/mysql}): the "real server" an operator points
 * Carteiro at, which a test can stop, start again on the same data, kill or freeze. Galera nodes are such servers
 * with {@code wsrep} options (see {@code GaleraCluster}).
 */
public final class DebianMariaDb implements AutoCloseable {

    public static final Path SERVER = Path.of("/usr/sbin/mariadbd");
    public static final Path INSTALL = Path.of("/usr/bin/mariadb-install-db");
    public static final String USER = "carteiro";

    private final String name;
    private final Path dir;
    private final int port;
    private final String password;
    private final List<String> options;
    /** The system account the server runs as when started by root. */
    private final String runAs;
    /** Whether this server creates Carteiro's account and database at start (a Galera joiner copies them). */
    private final boolean createsAccount;
    private Process process;

    private DebianMariaDb(String name, Path dir, int port, String password, List<String> options, String runAs,
                          boolean createsAccount) {
        this.name = name;
        this.dir = dir;
        this.port = port;
        this.password = password;
        this.options = options;
        this.runAs = runAs;
        this.createsAccount = createsAccount;
    }

    /** Skips (or fails under CI) the calling test when Debian's MariaDB server is not installed. */
    public static void require() {
        SystemTools.require(SERVER.toString(), "mariadb-server");
        SystemTools.require(INSTALL.toString(), "mariadb-server");
    }

    /**
     * Creates the data directory under {@code dir}, with an account {@value #USER}@127.0.0.1 holding every
     * privilege and a database {@code carteiro}; {@code options} are added to the server's command line.
     */
    public static DebianMariaDb create(String name, Path dir, int port, List<String> options) throws IOException {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return create(new DebianMariaDb(name, dir.toAbsolutePath(), port, HexFormat.of().formatHex(random),
                List.copyOf(options), "root", true));
    }

    /**
     * A Galera node: run as the {@code mysql} account (rsync's state-transfer daemon, started by the server, drops
     * root for {@code nobody}, who could not write the data directory), with Carteiro's account created only on the
     * node that bootstraps the cluster; the others receive it with their state transfer.
     */
    public static DebianMariaDb galeraNode(String name, Path dir, int port, String password, List<String> options,
                                           boolean bootstrap) throws IOException {
        return create(new DebianMariaDb(name, dir.toAbsolutePath(), port, password, List.copyOf(options), "mysql",
                bootstrap));
    }

    private static DebianMariaDb create(DebianMariaDb server) throws IOException {
        require();
        Files.createDirectories(server.dir);
        server.install();
        return server;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/carteiro";
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public Path log() {
        return dir.resolve("server.log");
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    /** Starts the server (again, on the same data) and returns once the account can sign in. */
    public synchronized DebianMariaDb start(Duration limit) throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return this;
        }
        process = new ProcessBuilder(command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        awaitSignIn(limit);
        return this;
    }

    /** Starts the server and returns at once (a Galera joiner answers only after its state transfer). */
    public synchronized void launch() throws IOException {
        process = new ProcessBuilder(command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
    }

    public void awaitSignIn(Duration limit) throws InterruptedException, IOException {
        Instant deadline = Instant.now().plus(limit);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("MariaDB '" + name + "' exited with " + process.exitValue() + "; see " + log());
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl() + "?connectTimeout=2000", USER, password)) {
                return;
            } catch (SQLException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException("MariaDB '" + name + "' took no connections within " + limit + ": "
                            + notYet.getMessage() + "; see " + log());
                }
            }
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
    }

    /** A clean shutdown (SIGTERM), as {@code systemctl stop mariadb} does. */
    public synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** SIGKILL: the server dies as in a power cut of its machine (InnoDB recovers at the next start). */
    public synchronized void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            Signals.send("CONT", process.pid());  // a frozen server cannot stop
            stop();
        }
    }

    private List<String> command() {
        List<String> command = new ArrayList<>(List.of(SERVER.toString(), "--no-defaults",
                "--datadir=" + dataDir(), "--port=" + port, "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("mariadb.sock"), "--pid-file=" + dir.resolve("mariadbd.pid"),
                "--skip-name-resolve",
                "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=64M", "--max-connections=200",
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci"));
        if (createsAccount) {
            command.add("--init-file=" + dir.resolve("init.sql"));
        }
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=" + runAs);
        }
        command.addAll(options);
        return command;
    }

    private void chown(Path path) throws IOException {
        try {
            Process chown = new ProcessBuilder("chown", "-R", runAs + ":" + runAs, path.toString()).inheritIO()
                    .start();
            if (!chown.waitFor(1, TimeUnit.MINUTES) || chown.exitValue() != 0) {
                throw new IOException("chown " + runAs + " " + path + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void install() throws IOException {
        Files.writeString(dir.resolve("init.sql"), String.join("\n",
                "CREATE USER IF NOT EXISTS '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + password + "';",
                "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'127.0.0.1' WITH GRANT OPTION;",
                "CREATE DATABASE IF NOT EXISTS carteiro CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;", ""),
                StandardCharsets.US_ASCII);
        if (Files.isDirectory(dataDir().resolve("mysql"))) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && !"root".equals(runAs)) {
            chown(dir);
        }
        List<String> command = new ArrayList<>(List.of(INSTALL.toString(), "--no-defaults",
                "--datadir=" + dataDir(), "--skip-test-db", "--skip-name-resolve",
                "--auth-root-authentication-method=socket"));
        if (root) {
            command.add("--user=" + runAs);
        }
        try {
            Process install = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
            if (!install.waitFor(3, TimeUnit.MINUTES) || install.exitValue() != 0) {
                throw new IOException("mariadb-install-db failed for '" + name + "'; see " + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
