package io.carteiro.delivery.mtasts;

import io.carteiro.MariaDbTestResource;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.support.PackagedApp;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The policy cache lives in the database: a Carteiro process started after the one that fetched a policy (a restart,
 * or another replica) applies it although the policy domain can no longer be asked. Real packaged processes, one
 * database, a real DNS server and HTTPS policy server on loopback.
 */
class MtaStsRestartTest {

    private static final String ADMIN = "admin@restart.test";
    private static final String PASSWORD = "restart test password";
    private static final String DOMAIN = "restart.sts.test";

    private final List<Process> processes = new ArrayList<>();
    private LoopbackDnsServer dns;
    private PolicyServer server;
    private String databaseUrl;

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (databaseUrl != null) {
            try (Connection c = DriverManager.getConnection(root(databaseUrl), MariaDbTestResource.user(),
                    MariaDbTestResource.password()); Statement s = c.createStatement()) {
                s.executeUpdate("DROP DATABASE " + databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1));
            }
        }
    }

    static final String SECRETS_KEY = newSecretsKey();

    private static String newSecretsKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    @Test
    void enforcePolicyShouldSurviveARestartWhenThePolicyHostIsGone() throws Exception {
        Path jar = PackagedApp.require();
        databaseUrl = freshDatabase();
        dns = LoopbackDnsServer.start();
        TestCa ca = TestCa.create("Restart Test CA");
        server = PolicyServer.start(ca.issue("fallback.invalid"));
        Path trust = ca.writeRoot(Path.of("target", "mta-sts-test", "restart-ca.pem").toAbsolutePath());
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=before;").a("mta-sts." + DOMAIN, "127.0.0.1");
        server.certificate("mta-sts." + DOMAIN, ca.issue("mta-sts." + DOMAIN)).answer("mta-sts." + DOMAIN,
                PolicyServer.Answer.policy("version: STSv1\r\nmode: enforce\r\nmx: mx." + DOMAIN
                        + "\r\nmax_age: 604800\r\n"));

        int first = start(jar, "first", trust);
        JsonPath fetched = report(first);
        assertEquals("enforce", fetched.getString("applied"));
        assertEquals(1, server.requests("mta-sts." + DOMAIN));
        Process firstProcess = processes.get(0);
        firstProcess.destroy();
        firstProcess.waitFor(60, TimeUnit.SECONDS);

        // the domain can no longer be asked: its TXT lookup fails and its policy host answers 500
        dns.forget("_mta-sts." + DOMAIN).servfail("_mta-sts." + DOMAIN);
        server.answer("mta-sts." + DOMAIN, new PolicyServer.Answer(500, "text/plain", new byte[]{'x'}, false,
                java.util.Map.of()));
        int second = start(jar, "second", trust);
        JsonPath afterRestart = report(second);

        assertEquals("enforce", afterRestart.getString("applied"));
        assertEquals(List.of("mx." + DOMAIN), afterRestart.getList("mx"));
        assertEquals("before", afterRestart.getString("cached.id"));
        assertEquals(1, server.requests("mta-sts." + DOMAIN), "the restarted process did not need to fetch");
    }

    private int start(Path jar, String name, Path trust) throws IOException {
        int port = freePort();
        Path log = Path.of("target", "mta-sts-restart-" + name + ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.datasource.jdbc.url=" + databaseUrl,
                "-Dquarkus.datasource.username=" + MariaDbTestResource.user(),
                "-Dquarkus.datasource.password=" + MariaDbTestResource.password(),
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + freePort(),
                "-Dcarteiro.api.basic-auth=true",
                "-Dcarteiro.data-dir=" + Path.of("target", "mta-sts-restart-" + name).toAbsolutePath(),
                // both processes are one installation, so they share its secrets key (docs/security-data.md)
                "-Dcarteiro.secrets.key=" + SECRETS_KEY,
                "-Dcarteiro.admin.email=" + ADMIN,
                "-Dcarteiro.admin.password=" + PASSWORD,
                "-Dcarteiro.delivery.sender-enabled=false",
                "-Dcarteiro.delivery.dns-servers=" + dns.address(),
                "-Dcarteiro.delivery.dns-timeout=PT0.5S",
                "-Dcarteiro.delivery.allow-private-exchangers=true",
                "-Dcarteiro.delivery.mta-sts.port=" + server.port(),
                "-Dcarteiro.delivery.mta-sts.trust-store=" + trust,
                "-Dcarteiro.delivery.mta-sts.first-fetch-wait=PT20S",
                "-Dcarteiro.bounce.listener-host=127.0.0.1",
                "-Dcarteiro.bounce.listener-port=0",
                "-jar", jar.toString());
        processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (get(port, "/api/delivery/mta-sts/ready.test").isEmpty()) {
            if (Instant.now().isAfter(deadline) || !processes.get(processes.size() - 1).isAlive()) {
                throw new AssertionError("Carteiro '" + name + "' did not answer; see " + log);
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        return port;
    }

    private static JsonPath report(int port) {
        return new JsonPath(get(port, "/api/delivery/mta-sts/" + DOMAIN)
                .orElseThrow(() -> new AssertionError("no answer from port " + port)));
    }

    private static Optional<String> get(int port, String path) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (ADMIN + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String freshDatabase() throws Exception {
        String server = System.getenv("CARTEIRO_TEST_DB_URL");
        String base = server != null && !server.isBlank() ? server : MariaDbTestResource.sharedEmbeddedServer();
        String database = "mtasts_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40), 36);
        try (Connection c = DriverManager.getConnection(root(base), MariaDbTestResource.user(),
                MariaDbTestResource.password()); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        return root(base) + database;
    }

    private static String root(String url) {
        String withoutOptions = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        return withoutOptions.substring(0, withoutOptions.lastIndexOf('/') + 1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
