package io.carteiro.campaigns;

import io.carteiro.MariaDbTestResource;
import io.carteiro.support.PackagedApp;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.TestSmtpServer;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Whole Carteiro processes for multi-process and crash tests: the packaged application started in separate JVMs
 * (as the delivery engine's CrashSafetyIT does) against a database of their own on the test run's MariaDB, sending
 * through a loopback DNS server to SMTP servers on 127.0.0.x, and killed with SIGKILL when a test says so.
 */
final class CarteiroCluster implements AutoCloseable {

    /** The packaged application (built before the tests by the Quarkus build). */
    static final Path APP = PackagedApp.JAR;
    static final String ADMIN = "admin@cluster.test";
    static final String PASSWORD = "cluster test password";

    final String tag = Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40), 36);
    /** One secrets key for every node, as replicas of one installation share it (docs/security-data.md). */
    final String secretsKey = newSecretsKey();
    final String url;
    final LoopbackDnsServer dns;
    final int smtpPort;
    final Map<String, TestSmtpServer> exchangers = new HashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private int nextHost = 70;

    /** One running Carteiro JVM. */
    record Node(String name, Process process, int httpPort, Path log) {
        RequestSpecification api() {
            return RestAssured.given().baseUri("http://127.0.0.1:" + httpPort).auth().preemptive()
                    .basic(ADMIN, PASSWORD).contentType(ContentType.JSON);
        }

        /** SIGKILL: no shutdown hook, no cleanup, claims left as they were. */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        String logText() throws IOException {
            return Files.readString(log);
        }
    }

    private CarteiroCluster(String url, LoopbackDnsServer dns, int smtpPort) {
        this.url = url;
        this.dns = dns;
        this.smtpPort = smtpPort;
    }

    /**
     * A fresh database named after the test on the run's MariaDB (the embedded one unless {@code
     * CARTEIRO_TEST_DB_URL} names a server), so that the Carteiro processes share neither queue nor Quartz cluster
     * with the Quarkus test application.
     */
    static CarteiroCluster start() throws IOException, SQLException {
        PackagedApp.require();
        String server = System.getenv("CARTEIRO_TEST_DB_URL");
        String base = server != null && !server.isBlank() ? server : MariaDbTestResource.sharedEmbeddedServer();
        String database = "cluster_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40), 36);
        String withoutOptions = base.contains("?") ? base.substring(0, base.indexOf('?')) : base;
        String root = withoutOptions.substring(0, withoutOptions.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(root, user(), password()); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        int port = freePortOnHosts(70, 90);
        return new CarteiroCluster(root + database, LoopbackDnsServer.start(), port);
    }

    /** An SMTP server on a new loopback address that the DNS server names as the domain's only MX. */
    TestSmtpServer exchanger(String domain, TestSmtpServer.Behaviour behaviour) throws IOException {
        String address = "127.0.0." + nextHost++;
        TestSmtpServer server = TestSmtpServer.start(address, smtpPort, behaviour);
        exchangers.put(domain, server);
        dns.mx(domain, 10, "mx." + domain).a("mx." + domain, address);
        return server;
    }

    private static String newSecretsKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    /** Starts a Carteiro JVM with its sender and campaign scheduler and waits until its API answers. */
    Node startNode(String name, Duration lease) throws IOException, InterruptedException {
        int httpPort = freePortOnHosts(1, 1);
        Path log = Path.of("target", "cluster-" + tag + "-" + name + ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.datasource.jdbc.url=" + url,
                "-Dquarkus.datasource.username=" + user(),
                "-Dquarkus.datasource.jdbc.max-size=20",
                "-Dcarteiro.secrets.key=" + secretsKey,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.quartz.misfire-threshold=PT5S",
                "-Dquarkus.log.category.\"io.carteiro.campaigns\".level=INFO",
                "-Dcarteiro.admin.email=" + ADMIN,
                "-Dcarteiro.admin.password=" + PASSWORD,
                "-Dcarteiro.public-url=https://news.cluster.test",
                "-Dcarteiro.campaigns.tick-every=1s",
                "-Dcarteiro.delivery.dns-servers=" + dns.address(),
                "-Dcarteiro.delivery.mx-port=" + smtpPort,
                "-Dcarteiro.delivery.allow-private-exchangers=true",
                "-Dcarteiro.delivery.ehlo-name=" + name + ".cluster.test",
                "-Dcarteiro.delivery.lease=" + lease,
                // idle loops look for due messages every 0.1 s, so the instance that did not start the campaign
                // claims its share before the starting one (woken at once) has claimed all 3,000
                "-Dcarteiro.delivery.idle-poll=PT0.1S",
                "-Dcarteiro.delivery.batch-size=200",
                "-Dcarteiro.delivery.chunk-size=25",
                "-Dcarteiro.delivery.sessions=8",
                "-Dcarteiro.bounce.domain=bounces.cluster.test",
                "-Dcarteiro.bounce.listener-host=127.0.0.1",
                "-Dcarteiro.bounce.listener-port=0",
                "-jar", APP.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", password());  // not on the command line (ps)
        Process process = builder.start();
        Node node = new Node(name, process, httpPort, log);
        nodes.add(node);
        awaitTrue(Duration.ofSeconds(90), () -> answers(node), "Carteiro '" + name + "' answered (log: " + log + ")");
        return node;
    }

    private static boolean answers(Node node) {
        if (!node.process().isAlive()) {
            throw new AssertionError("Carteiro '" + node.name() + "' exited with " + node.process().exitValue()
                    + "; see " + node.log());
        }
        try {
            return node.api().get("/api/campaigns/0").statusCode() == 404;
        } catch (Exception e) {  // connection refused (thrown unchecked by RestAssured) until it listens
            return false;
        }
    }

    /** Creates a campaign to the lists through the API and schedules it. */
    long campaign(Node node, List<Long> listIds, Instant sendAt) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Cluster " + tag + " " + Instant.now());
        body.put("subject", "Hello {subscriber.name}");
        body.put("fromEmail", "news@sender.test");
        body.put("listIds", listIds);
        body.put("html", "<p>Hello {subscriber.name}</p><p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>");
        long id = node.api().body(body).post("/api/campaigns").then().statusCode(201).extract()
                .jsonPath().getLong("id");
        Map<String, Object> schedule = new HashMap<>();
        schedule.put("sendAt", sendAt == null ? null : sendAt.toString());
        node.api().body(schedule).post("/api/campaigns/" + id + "/schedule").then().statusCode(200);
        return id;
    }

    JsonPath campaignState(Node node, long id) {
        return node.api().get("/api/campaigns/" + id).then().statusCode(200).extract().jsonPath();
    }

    long list(String name) throws SQLException {
        execute("INSERT INTO mailing_list (name, from_email) VALUES ('" + name + " " + tag + "', 'news@sender.test')");
        return count("SELECT MAX(id) FROM mailing_list");
    }

    /**
     * Inserts {@code count} subscribers {@code <prefix><n>@d<n % domains>-<tag>.test} (n from 1) with the status, set
     * based, and subscribes them to the list with the subscription status.
     */
    void subscribers(String prefix, int count, int domains, String status, long listId, String subscription)
            throws SQLException {
        execute("""
                INSERT INTO subscriber (email, email_key, domain, name, status)
                SELECT CONCAT('%1$s', seq, '@', d), CONCAT('%1$s', seq, '@', d), d, CONCAT('Reader ', seq), '%2$s'
                FROM (SELECT seq, CONCAT('d', seq MOD %3$d, '-%4$s.test') AS d FROM seq_1_to_%5$d) s"""
                .formatted(prefix, status, domains, tag, count));
        subscribe(listId, prefix, subscription);
    }

    /** Subscribes every subscriber whose address starts with the prefix to the list. */
    void subscribe(long listId, String prefix, String status) throws SQLException {
        execute("""
                INSERT INTO subscription (list_id, subscriber_id, status, source)
                SELECT %d, id, '%s', 'admin' FROM subscriber WHERE email LIKE '%s%%' AND domain LIKE '%%-%s.test'"""
                .formatted(listId, status, prefix, tag));
    }

    String domain(int n) {
        return "d" + n + "-" + tag + ".test";
    }

    /** Every address each exchanger accepted, with how many times. */
    Map<String, Integer> deliveries() {
        Map<String, Integer> times = new HashMap<>();
        for (TestSmtpServer server : exchangers.values()) {
            for (TestSmtpServer.Received r : server.received()) {
                times.merge(r.to().toLowerCase(), 1, Integer::sum);
            }
        }
        return times;
    }

    int received() {
        return exchangers.values().stream().mapToInt(s -> s.received().size()).sum();
    }

    List<String> strings(String sql) {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user(), password());
             ResultSet r = c.createStatement().executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    long count(String sql) {
        try (Connection c = DriverManager.getConnection(url, user(), password());
             ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user(), password()); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    static void awaitTrue(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + limit + " waiting until " + what);
            }
            Thread.sleep(100);  // polling an observable condition with a deadline
        }
    }

    @Override
    public void close() throws Exception {
        for (Node n : nodes) {
            n.process().destroy();  // SIGTERM: a clean stop at the end, so the database logs no aborted connections
        }
        for (Node n : nodes) {
            if (!n.process().waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                n.kill();
            }
        }
        for (TestSmtpServer s : exchangers.values()) {
            s.close();
        }
        dns.close();
        try (Connection c = DriverManager.getConnection(url, user(), password()); Statement s = c.createStatement()) {
            s.executeUpdate("DROP DATABASE " + url.substring(url.lastIndexOf('/') + 1));
        }
    }

    private static String user() {
        return MariaDbTestResource.user();
    }

    private static String password() {
        return MariaDbTestResource.password();
    }

    /** A port outside the ephemeral range free on 127.0.0.first … 127.0.0.last. */
    static int freePortOnHosts(int first, int last) {
        return io.carteiro.support.Exchangers.freePortOn(first, last);
    }
}
