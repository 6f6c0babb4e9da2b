package io.carteiro.delivery;

import io.carteiro.support.LoopbackPorts;
import io.carteiro.support.PackagedApp;
import io.carteiro.support.TestDatabases;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Whole Carteiro processes for the engine's crash, outage and shaping tests: the packaged application in JVMs of
 * its own, on the embedded MariaDB each starts for itself (so a test can freeze it) or on a fresh database of the
 * test run's MariaDB (shared by several instances), sending through a loopback DNS server to SMTP servers on
 * 127.0.0.100 and up that count what arrives. Tests set things up as a user would, through the API.
 */
final class PackagedCarteiro implements AutoCloseable {

    static final String ADMIN = "admin@engine.test";
    static final String PASSWORD = "engine test password";
    static final int FIRST_HOST = 100;
    static final int LAST_HOST = 140;

    final String tag = Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40), 36);
    final LoopbackDnsServer dns;
    final int smtpPort;
    /** The JDBC URL of the shared database, or null when each instance runs its own embedded one. */
    private final String sharedUrl;
    /** One secrets key for every instance, as replicas of one installation share it (docs/security-data.md). */
    private final String secretsKey = newSecretsKey();
    private final List<Instance> instances = new ArrayList<>();
    private final Map<String, TestSmtpServer> sinks = new LinkedHashMap<>();
    private final List<AutoCloseable> servers = new ArrayList<>();
    private int nextHost = FIRST_HOST;

    /** One running Carteiro JVM. */
    record Instance(String name, Process process, int httpPort, Path dataDir, Path log) {
        RequestSpecification api() {
            return RestAssured.given().baseUri("http://127.0.0.1:" + httpPort).auth().preemptive()
                    .basic(ADMIN, PASSWORD).contentType(ContentType.JSON);
        }

        /** SIGKILL: no shutdown hook, no cleanup; claims, journal and an embedded database left as they were. */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        /** SIGTERM, waiting for the clean stop. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }

        String logText() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The embedded MariaDB server this instance started (its child process). */
        ProcessHandle embeddedDatabase() {
            return process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("mariadbd"))
                    .orElse(false)).findFirst().orElseThrow(() -> new AssertionError(name + " runs no mariadbd"));
        }
    }

    private PackagedCarteiro(String sharedUrl) throws IOException {
        PackagedApp.require();
        this.sharedUrl = sharedUrl;
        this.dns = LoopbackDnsServer.start();
        this.smtpPort = freePortOnHosts(FIRST_HOST, LAST_HOST);
    }

    /** Instances that each start their own embedded MariaDB in their data folder. */
    static PackagedCarteiro withEmbeddedDatabases() throws IOException {
        return new PackagedCarteiro(null);
    }

    /**
     * Instances sharing one fresh database on the test run's MariaDB (the embedded one unless {@code
     * CARTEIRO_TEST_DB_URL} names a server), apart from the queue and Quartz cluster of the in-JVM test application.
     */
    static PackagedCarteiro withSharedDatabase() throws IOException, SQLException {
        return new PackagedCarteiro(TestDatabases.create("engine_"));
    }

    /** An accepting SMTP server on a new loopback address, published as the domain's only MX. */
    TestSmtpServer sink(String domain, TestSmtpServer.Behaviour behaviour) throws IOException {
        String address = nextAddress();
        TestSmtpServer server = TestSmtpServer.start(address, smtpPort, behaviour);
        sinks.put(domain, server);
        servers.add(server);
        dns.mx(domain, 10, "mx." + domain).a("mx." + domain, address);
        return server;
    }

    /** A scripted SMTP server on a new loopback address, published as the domain's only MX. */
    ScriptedSmtpServer scripted(String domain, ScriptedSmtpServer.Script script) throws IOException {
        String address = nextAddress();
        ScriptedSmtpServer server = new ScriptedSmtpServer(address, smtpPort, script);
        servers.add(server);
        dns.mx(domain, 10, "mx." + domain).a("mx." + domain, address);
        return server;
    }

    /** {@code domain(n)}: the n-th recipient domain of this test. */
    String domain(int n) {
        return "d" + n + "-" + tag + ".test";
    }

    /**
     * Starts a Carteiro JVM (sender on, campaigns ticking every second) with its data folder and these extra
     * settings, and waits until its API answers.
     */
    Instance start(String name, Path dataDir, Map<String, String> settings) throws IOException, InterruptedException {
        Instance instance = launch(name, dataDir, settings);
        awaitTrue(Duration.ofSeconds(180), () -> answers(instance),
                "Carteiro '" + name + "' answered (log: " + instance.log() + ")");
        return instance;
    }

    /** Starts a Carteiro JVM that is expected to refuse to start; returns its log once it has exited. */
    String startRefused(String name, Path dataDir, Map<String, String> settings)
            throws IOException, InterruptedException {
        Instance instance = launch(name, dataDir, settings);
        if (!instance.process().waitFor(180, TimeUnit.SECONDS)) {
            throw new AssertionError("Carteiro '" + name + "' is still running; see " + instance.log());
        }
        if (instance.process().exitValue() == 0) {
            throw new AssertionError("Carteiro '" + name + "' exited with 0; see " + instance.log());
        }
        return instance.logText();
    }

    private Instance launch(String name, Path dataDir, Map<String, String> settings) throws IOException {
        Files.createDirectories(dataDir);
        int httpPort = freePortOnHosts(1, 1);
        int managementPort;
        do {
            managementPort = freePortOnHosts(1, 1);
        } while (managementPort == httpPort);
        Path log = Path.of("target", "engine-" + tag + "-" + name + "-" + instances.size() + ".log");
        Map<String, String> properties = new LinkedHashMap<>();
        if (sharedUrl != null) {
            properties.put("quarkus.datasource.jdbc.url", sharedUrl);
            properties.put("quarkus.datasource.username", user());
        } else {
            properties.put("carteiro.embedded-db.dir", dataDir.resolve("mariadb").toString());
            properties.put("carteiro.embedded-db.port", "0");
        }
        properties.put("quarkus.datasource.jdbc.max-size", "20");
        properties.put("quarkus.http.host", "127.0.0.1");
        properties.put("quarkus.http.port", Integer.toString(httpPort));
        properties.put("quarkus.management.port", Integer.toString(managementPort));
        properties.put("carteiro.api.basic-auth", "true");
        properties.put("carteiro.admin.email", ADMIN);
        properties.put("carteiro.admin.password", PASSWORD);
        properties.put("carteiro.public-url", "https://news.engine.test");
        properties.put("carteiro.campaigns.tick-every", "1s");
        properties.put("carteiro.data-dir", dataDir.toString());
        properties.put("carteiro.delivery.dns-servers", dns.address());
        properties.put("carteiro.delivery.mx-port", Integer.toString(smtpPort));
        properties.put("carteiro.delivery.allow-private-exchangers", "true");
        properties.put("carteiro.delivery.ehlo-name", name + ".engine.test");
        properties.put("carteiro.bounce.domain", "bounces.engine.test");
        properties.put("carteiro.bounce.listener-host", "127.0.0.1");
        properties.put("carteiro.bounce.listener-port", "0");
        properties.putAll(settings);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", PackagedApp.JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (sharedUrl != null) {
            builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", password()); // not on the command line (ps)
        }
        builder.environment().put("CARTEIRO_SECRETS_KEY", secretsKey);
        Process process = builder.start();
        Instance instance = new Instance(name, process, httpPort, dataDir, log);
        instances.add(instance);
        return instance;
    }

    private static boolean answers(Instance instance) {
        if (!instance.process().isAlive()) {
            throw new AssertionError("Carteiro '" + instance.name() + "' exited with "
                    + instance.process().exitValue() + "; see " + instance.log());
        }
        try {
            return instance.api().get("/api/campaigns/0").statusCode() == 404;
        } catch (Exception e) { // connection refused (thrown unchecked by RestAssured) until it listens
            return false;
        }
    }

    /** Creates a list through the API. */
    long list(Instance instance, String name) {
        return instance.api()
                .body(Map.of("name", name + " " + tag, "fromEmail", "news@sender.test", "optIn", "single"))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /**
     * Imports {@code count} subscribers {@code <prefix><n>@<domain(n % domains)>} (n from 1) into the list with a CSV
     * upload, and waits until the import is done.
     */
    void importSubscribers(Instance instance, long listId, String prefix, int count, int domains) {
        String csv = "email,name\n" + IntStream.rangeClosed(1, count)
                .mapToObj(n -> prefix + n + "@" + domain(n % domains) + ",Reader " + n)
                .collect(Collectors.joining("\n")) + "\n";
        long job = instance.api().contentType("text/csv").queryParam("legalBasis", "engine test").body(csv)
                .post("/api/lists/" + listId + "/imports").then().statusCode(202).extract().jsonPath().getLong("id");
        awaitTrue(Duration.ofSeconds(180), () -> {
            String state = instance.api().get("/api/imports/" + job).then().statusCode(200).extract().jsonPath()
                    .getString("state");
            if (state.equals("failed")) {
                throw new AssertionError("import " + job + " failed");
            }
            return state.equals("done");
        }, "import " + job + " was done");
    }

    /** Creates a campaign to the lists through the API and sends it now. */
    long sendCampaign(Instance instance, List<Long> listIds) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Engine " + tag + " " + Instant.now());
        body.put("subject", "Hello {subscriber.name}");
        body.put("fromEmail", "news@sender.test");
        body.put("listIds", listIds);
        body.put("html", "<p>Hello {subscriber.name}</p><p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>");
        long id = instance.api().body(body).post("/api/campaigns").then().statusCode(201).extract().jsonPath()
                .getLong("id");
        Map<String, Object> now = new HashMap<>();
        now.put("sendAt", null);
        instance.api().body(now).post("/api/campaigns/" + id + "/schedule").then().statusCode(200);
        return id;
    }

    /** The campaign as the API shows it (status and counters). */
    JsonPath campaign(Instance instance, long id) {
        return instance.api().get("/api/campaigns/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Queues one transactional message through the API; returns its id. */
    long message(Instance instance, String to) {
        return instance.api().body(Map.of("from", "news@sender.test", "to", to, "subject", "Now", "text", "Hello"))
                .post("/api/messages").then().statusCode(202).extract().jsonPath().getLong("id");
    }

    /** A transactional message as the API shows it (state and attempts). */
    JsonPath messageState(Instance instance, long id) {
        return instance.api().get("/api/messages/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** How many times each address was received, over every sink. */
    Map<String, Integer> deliveries() {
        Map<String, Integer> times = new HashMap<>();
        for (TestSmtpServer sink : sinks.values()) {
            for (TestSmtpServer.Received r : sink.received()) {
                times.merge(r.to().toLowerCase(), 1, Integer::sum);
            }
        }
        return times;
    }

    /** Messages received by every sink together. */
    int received() {
        return sinks.values().stream().mapToInt(s -> s.received().size()).sum();
    }

    /** One number from the shared database (reads only: tests set things up through the API). */
    long count(String sql) {
        try (Connection c = DriverManager.getConnection(sharedUrl, user(), password());
             ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a signal to a process ({@code STOP}, {@code CONT}) with the system's kill(1). */
    static void signal(ProcessHandle process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Polls an observable condition until it holds, failing after {@code limit}. */
    static void awaitTrue(Duration limit, BooleanSupplier condition, String what) {
        DeliveryTestSupport.await(condition, limit, what);
    }

    @Override
    public void close() throws Exception {
        for (Instance instance : instances) {
            instance.process().destroy(); // SIGTERM: a clean stop, so the database logs no aborted connections
        }
        for (Instance instance : instances) {
            if (!instance.process().waitFor(30, TimeUnit.SECONDS)) {
                instance.kill();
            }
        }
        for (AutoCloseable server : servers) {
            server.close();
        }
        dns.close();
        if (sharedUrl != null) {
            TestDatabases.drop(sharedUrl);
        }
    }

    private String nextAddress() {
        if (nextHost > LAST_HOST) {
            throw new IllegalStateException("out of test addresses; raise PackagedCarteiro.LAST_HOST");
        }
        return "127.0.0." + nextHost++;
    }

    private static String user() {
        return TestDatabases.user();
    }

    private static String password() {
        return TestDatabases.password();
    }

    /** A port below the ephemeral range (and apart from the other harnesses' ranges) free on these hosts. */
    static int freePortOnHosts(int first, int last) {
        return LoopbackPorts.freeOnHosts(first, last, 10000, 20000);
    }

    private static String newSecretsKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }
}
