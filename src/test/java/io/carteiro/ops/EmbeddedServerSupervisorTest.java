package io.carteiro.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded server comes back by itself when it dies, and says so when it cannot. */
class EmbeddedServerSupervisorTest {

    static final EmbeddedServerSupervisor.Policy QUICK = new EmbeddedServerSupervisor.Policy(
            Duration.ofMillis(100), Duration.ofMillis(400), 2, Duration.ofMinutes(2), Duration.ofMinutes(1));

    final List<EmbeddedServerSupervisor> supervisors = new ArrayList<>();
    Path folder;

    @AfterEach
    void stop() throws Exception {
        for (EmbeddedServerSupervisor s : supervisors) {
            s.stop(Duration.ofSeconds(30));
        }
        if (folder != null) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void killedServerShouldBeStartedAgainOnTheSameData() throws Exception {
        EmbeddedServerSupervisor supervisor = supervised();
        EmbeddedServer server = supervisor.server();
        EmbeddedServerTest.execute(server, "CREATE TABLE kept (id INT PRIMARY KEY)", "INSERT INTO kept VALUES (1)");
        Process first = server.process().orElseThrow();

        first.destroyForcibly().waitFor();  // SIGKILL, as the out-of-memory killer would

        awaitTrue(() -> supervisor.status().restarts() == 1
                && supervisor.status().state() == EmbeddedServerSupervisor.State.RUNNING, "restarted once");
        assertNotEquals(first.pid(), server.process().orElseThrow().pid());
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password())) {
            assertEquals(1, EmbeddedServerTest.one(c, "SELECT id FROM kept"));
        }
    }

    @Test
    void serverThatCannotComeBackShouldBeReportedFailedUntilItCan() throws Exception {
        EmbeddedServerSupervisor supervisor = supervised();
        EmbeddedServer server = supervisor.server();
        // the running server keeps its binary open; the restarts find none
        Path binary = server.dataDir().resolveSibling("mariadb-base").resolve("bin/mariadbd");
        Path aside = binary.resolveSibling("mariadbd.aside");
        Files.move(binary, aside);

        server.process().orElseThrow().destroyForcibly().waitFor();

        awaitTrue(() -> supervisor.status().state() == EmbeddedServerSupervisor.State.FAILED,
                "the supervisor gave up after " + QUICK.attempts() + " attempts");
        assertTrue(supervisor.status().failedAttempts() >= QUICK.attempts(), supervisor.status().toString());

        Files.move(aside, binary);

        awaitTrue(() -> supervisor.status().state() == EmbeddedServerSupervisor.State.RUNNING,
                "the supervisor kept trying and the server came back");
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password())) {
            assertEquals(1, EmbeddedServerTest.one(c, "SELECT 1"));
        }
    }

    EmbeddedServerSupervisor supervised() throws Exception {
        folder = Path.of("target", "ops-tests", UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        EmbeddedServer server = EmbeddedServer.prepare(folder.resolve("mariadb"), EmbeddedServerTest.freePort(),
                List.of("--innodb-buffer-pool-size=32M"));
        EmbeddedServerSupervisor supervisor = new EmbeddedServerSupervisor(server, QUICK, Clock.systemUTC());
        supervisors.add(supervisor);
        supervisor.start();
        return supervisor;
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);  // polling an observable state with a deadline
        }
    }
}
