package io.carteiro.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The runnable application for tests that start whole Carteiro processes (crash and multi-process tests). The
 * Quarkus build runs in {@code process-test-classes}, before the tests, so {@code ./mvnw test} always has it.
 */
public final class PackagedApp {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private PackagedApp() {
    }

    /** Returns the jar, or skips the calling test (fails under CI) when the build was skipped. */
    public static Path require() {
        if (Files.exists(JAR)) {
            return JAR;
        }
        String reason = JAR + " is missing (the Quarkus build runs before the tests unless -Dquarkus.build.skip)";
        if (SystemTools.required()) {
            throw new AssertionError(reason + ", and CARTEIRO_REQUIRE_SYSTEM_TOOLS=true forbids skipping");
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
        return JAR;
    }

    /**
     * A free port on 127.0.0.1 for one process's management interface ({@code -Dquarkus.management.port=}): every
     * instance needs its own, as the default (9000) is fixed.
     */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the instance with this management port answers 200 on {@code /q/health/ready}: it has started (Flyway
     * has run every migration by then) and reaches its database. False while it is not listening yet.
     */
    public static boolean ready(int managementPort) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(
                    "http://127.0.0.1:" + managementPort + "/q/health/ready").toURL().openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(5000);
            try {
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }
}
