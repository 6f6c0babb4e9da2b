package io.carteiro.bounces;

import io.carteiro.support.PackagedApp;
import io.carteiro.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12.8 against the packaged application with a 512 MB heap: forty clients on forty loopback addresses send a
 * 9.9 MB message each at the same time. DATA goes to the spool folder instead of the heap, so every message is taken
 * (250), the process survives without an OutOfMemoryError, and a small DSN afterwards is still served.
 */
class ListenerUnderLoadTest {

    static final int CLIENTS = 40;
    static final int MESSAGE_BYTES = 9_900_000;

    Process app;
    String database;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.destroy();
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor();
            }
        }
        if (database != null) {
            TestDatabases.drop(database);
        }
    }

    @Test
    void fortyConcurrentTenMegabyteMessagesShouldNotExhaustA512MegabyteHeap() throws Exception {
        PackagedApp.require();
        database = TestDatabases.create("listener_");
        int smtp = freePort();
        Path log = Path.of("target", "listener-under-load-" + System.nanoTime() + ".log");
        Path data = Path.of("target", "listener-under-load-data-" + System.nanoTime());
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dquarkus.datasource.jdbc.url=" + database,
                "-Dquarkus.datasource.username=" + TestDatabases.user(),
                "-Dquarkus.datasource.password=" + TestDatabases.password(),
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + freePort(),
                "-Dquarkus.management.port=" + freePort(),
                "-Dcarteiro.admin.password=listener load test password",
                "-Dcarteiro.data-dir=" + data,
                "-Dcarteiro.delivery.sender-enabled=false",
                "-Dcarteiro.delivery.ehlo-name=load.test",
                "-Dcarteiro.bounce.domain=bounces.load.test",
                "-Dcarteiro.bounce.listener-host=127.0.0.1",
                "-Dcarteiro.bounce.listener-port=" + smtp,
                "-jar", PackagedApp.JAR.toString());
        app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        BounceTestData.awaitTrue(Duration.ofSeconds(120), () -> started(log), "Carteiro started (log: " + log + ")");

        byte[] body = message();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<String>> replies = new ArrayList<>();
        Instant begun = Instant.now();
        for (int i = 0; i < CLIENTS; i++) {
            String from = "127.0.1." + (i + 1);
            replies.add(clients.submit(() -> send(from, smtp, body)));
        }
        List<String> answers = new ArrayList<>();
        for (Future<String> reply : replies) {
            answers.add(reply.get(10, TimeUnit.MINUTES));
        }
        clients.shutdown();
        System.out.printf("listener under load: %d concurrent messages of %d bytes taken in %d s, replies %s%n",
                CLIENTS, body.length, Duration.between(begun, Instant.now()).toSeconds(),
                answers.stream().map(a -> a.substring(0, 3)).distinct().toList());

        for (String answer : answers) {
            assertTrue(answer.startsWith("250"), answer);
        }
        assertTrue(app.isAlive(), "Carteiro is still running");
        assertFalse(Files.readString(log).contains("OutOfMemoryError"), "no OutOfMemoryError in " + log);
        assertTrue(send("127.0.1.99", smtp, "Subject: still here\r\n\r\nhello\r\n".getBytes()).startsWith("250"),
                "a small message afterwards is served");
        try (var spool = Files.list(data.resolve("bounce-spool"))) {
            assertEquals(0, spool.count(), "every spool file was deleted once its message was processed");
        }
    }

    /** Lines of 100 characters, 9.9 MB in all: something to keep for review. */
    private static byte[] message() {
        StringBuilder text = new StringBuilder(MESSAGE_BYTES + 200);
        text.append("From: sender@load.test\r\nSubject: a large message\r\n\r\n");
        String line = "x".repeat(98) + "\r\n";
        while (text.length() + line.length() <= MESSAGE_BYTES) {
            text.append(line);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** One SMTP transaction to postmaster@ from {@code from}; returns the reply to the end of DATA. */
    private static String send(String from, int port, byte[] message) throws IOException {
        try (SmtpDialogue smtp = new SmtpDialogue(from, port, Duration.ofMinutes(10))) {
            assertTrue(smtp.greeting.startsWith("220"), smtp.greeting);
            smtp.send("EHLO " + from);
            assertTrue(smtp.send("MAIL FROM:<sender@load.test> SIZE=" + message.length).startsWith("250"));
            assertTrue(smtp.send("RCPT TO:<postmaster@bounces.load.test>").startsWith("250"));
            assertTrue(smtp.send("DATA").startsWith("354"));
            return smtp.dataRaw(message);
        }
    }

    private static boolean started(Path log) {
        try {
            return Files.exists(log) && Files.readString(log).contains(" started in ");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
