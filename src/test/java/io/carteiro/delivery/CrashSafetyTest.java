package io.carteiro.delivery;

import io.carteiro.EmbeddedMariaDb;
import io.carteiro.support.PackagedApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash safety: the packaged application sends a queue of messages in its own JVM, is killed with SIGKILL mid-batch,
 * and is started again; every message arrives at the receiving server, and only messages that were in flight at
 * the instant of the kill (claimed but not yet recorded) may arrive twice. Part of {@code ./mvnw test}: the
 * Quarkus build runs before the tests (pom.xml) so the packaged application exists; where it does not (for example
 * {@code -Dquarkus.build.skip}) the test skips, or fails under {@code CARTEIRO_REQUIRE_SYSTEM_TOOLS=true}.
 */
class CrashSafetyTest {

    static final int MESSAGES = 2000;
    static final Path APP = PackagedApp.JAR;

    static String user;
    static String password;

    final List<Process> children = new ArrayList<>();
    final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : children) {
            p.destroyForcibly().waitFor();
        }
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    @Test
    void killedSenderShouldLoseNothingAndRepeatOnlyMessagesInFlight() throws Exception {
        PackagedApp.require();
        EmbeddedMariaDb.Endpoint db =
                EmbeddedMariaDb.start(new File("target/it-mariadb/crash-" + ProcessHandle.current().pid()), 0);
        user = db.user();
        password = db.password();
        String url = db.jdbcUrl();
        LoopbackDnsServer dns = LoopbackDnsServer.start();
        servers.add(dns);
        int port = freePort("127.0.0.77");
        TestSmtpServer receiver = TestSmtpServer.start("127.0.0.77", port, TestSmtpServer.Behaviour.ACCEPT_SLOWLY);
        servers.add(receiver);
        dns.mx("crash.test", 10, "mx.crash.test").a("mx.crash.test", "127.0.0.77");

        Process first = startApp(url, dns.address(), port, "first");
        awaitTrue(Duration.ofSeconds(120), () -> started("first"), "the first process started");
        queueMessages(url);
        awaitTrue(Duration.ofSeconds(120), () -> receiver.received().size() >= MESSAGES / 4,
                "a quarter of the messages arrived");

        first.destroyForcibly().waitFor();  // SIGKILL: no shutdown hook, no cleanup
        int receivedAtKill = receiver.received().size();
        long inFlight = count(url, "SELECT COUNT(*) FROM outbound_message WHERE recipient_domain = 'crash.test'"
                + " AND state = 'sending'");

        startApp(url, dns.address(), port, "second");
        awaitTrue(Duration.ofSeconds(180), () -> count(url, "SELECT COUNT(*) FROM outbound_message"
                + " WHERE recipient_domain = 'crash.test' AND state = 'sent'") == MESSAGES,
                "the second process finished the queue");

        Map<String, Integer> times = new HashMap<>();
        for (TestSmtpServer.Received r : receiver.received()) {
            times.merge(r.to(), 1, Integer::sum);
        }
        long duplicates = times.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        System.out.printf("crash safety: %d messages, %d received before the kill, %d claimed and unrecorded at"
                + " the kill, %d delivered twice, %d lost%n", MESSAGES, receivedAtKill, inFlight, duplicates,
                MESSAGES - times.size());
        assertEquals(MESSAGES, times.size(), "every message arrived");
        assertTrue(duplicates <= inFlight, duplicates + " duplicates but only " + inFlight + " were in flight");
    }

    Process startApp(String url, String dnsServer, int port, String name) throws IOException {
        Path log = log(name);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dquarkus.datasource.jdbc.url=" + url,
                "-Dquarkus.datasource.username=" + user,
                "-Dquarkus.http.port=0",
                "-Dcarteiro.admin.password=crash test password",
                "-Dcarteiro.delivery.dns-servers=" + dnsServer,
                "-Dcarteiro.delivery.mx-port=" + port,
                "-Dcarteiro.delivery.allow-private-exchangers=true",
                "-Dcarteiro.delivery.ehlo-name=crash.test",
                "-Dcarteiro.bounce.domain=bounces.crash.test",
                "-Dcarteiro.bounce.listener-host=127.0.0.1",
                "-Dcarteiro.bounce.listener-port=0",
                "-Dcarteiro.delivery.lease=PT20S",
                "-Dcarteiro.delivery.batch-size=200",
                "-Dcarteiro.delivery.chunk-size=25",
                "-Dcarteiro.delivery.sessions=8",
                "-jar", APP.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", password);  // not on the command line (ps)
        Process process = builder.start();
        children.add(process);
        return process;
    }

    static void queueMessages(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("""
                    INSERT INTO outbound_message (recipient, recipient_domain, sender, state, priority,
                        next_attempt_at, expires_at, message_id, created_at)
                    SELECT CONCAT('r', seq, '@crash.test'), 'crash.test', 'news@sender.test', 'queued', 0,
                           NOW(6), NOW(6) + INTERVAL 3 DAY, CONCAT('<crash', seq, '@sender.test>'), NOW(6)
                    FROM seq_1_to_%d""".formatted(MESSAGES));
            s.executeUpdate("""
                    INSERT INTO outbound_content (outbound_message_id, from_header, subject, text)
                    SELECT id, 'news@sender.test', 'Crash test', CONCAT('Message for ', recipient)
                    FROM outbound_message WHERE recipient_domain = 'crash.test'""");
            c.commit();
        }
    }

    /**
     * The application is up once Quarkus logs that it started: Flyway has run every migration by then. (Waiting
     * only for one early migration let the test write rows while later migrations still altered the tables.)
     */
    static boolean started(String name) {
        try {
            return Files.readString(log(name)).contains(" started in ");
        } catch (IOException e) {
            return false;
        }
    }

    static Path log(String name) {
        return Path.of("target", "crash-" + name + ".log");
    }

    static long count(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password);
             ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void awaitTrue(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting until " + what);
    }

    static int freePort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            return s.getLocalPort();
        }
    }
}
