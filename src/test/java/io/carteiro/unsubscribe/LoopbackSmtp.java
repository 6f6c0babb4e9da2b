package io.carteiro.unsubscribe;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import org.subethamail.smtp.server.SMTPServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real SMTP server on 127.0.0.1 that keeps each message it receives as a file in {@link #MAIL_DIR}, and the
 * delivery engine's sender running in relay mode with this server as its smarthost; the app listens on a fixed free port so that the links in the
 * mails ({@code carteiro.public-url}) lead back to it.
 */
public class LoopbackSmtp implements QuarkusTestResourceLifecycleManager {

    public static final Path MAIL_DIR = Path.of("target", "loopback-smtp");

    /** The test profile of every test that reads real mail: one profile, so one Quarkus start for them all. */
    public static class RealMail implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LoopbackSmtp.class));
        }
    }

    private SMTPServer server;

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(MAIL_DIR);
            server = SMTPServer.port(0).bindAddress(InetAddress.getByName("127.0.0.1"))
                    .messageHandler((context, from, to, data) -> {
                        try {
                            Files.write(MAIL_DIR.resolve(UUID.randomUUID() + ".eml"), data);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).build();
            server.start();
            int httpPort;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                httpPort = socket.getLocalPort();
            }
            return Map.of(
                    "carteiro.delivery.sender-enabled", "true",
                    "carteiro.delivery.relay.host", "127.0.0.1",
                    "carteiro.delivery.relay.port", String.valueOf(server.getPortAllocated()),
                    "carteiro.delivery.relay.tls", "none",
                    "quarkus.http.test-port", String.valueOf(httpPort),
                    "carteiro.public-url", "http://127.0.0.1:" + httpPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
