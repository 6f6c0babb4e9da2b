package io.carteiro.support;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One packaged Carteiro in a JVM of its own, started as an operator would ({@code java -jar} in a working folder,
 * settings as {@code -D} options, secrets in the environment rather than on the command line), with its HTTP port,
 * its management port and its log. Health is read where the application serves it: on the management interface
 * when that is enabled, else under {@code /q/health} of the HTTP port (see {@link #health}).
 */
public final class CarteiroProcess implements AutoCloseable {

    public static final String ADMIN = "admin@ops.test";
    public static final String PASSWORD = "ops test password";

    private final String name;
    private final Process process;
    private final int httpPort;
    private final int managementPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private CarteiroProcess(String name, Process process, int httpPort, int managementPort, Path log) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** The secrets key of the replicas this test JVM starts against one external database. */
    private static final String INSTALLATION_SECRETS_KEY = newSecretsKey();

    private static String newSecretsKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    /** What to start: settings ({@code -D}), environment (secrets) and the folder to run in. */
    public static final class Launch {
        final String name;
        final Path workDir;
        final Map<String, String> properties = new LinkedHashMap<>();
        final Map<String, String> environment = new LinkedHashMap<>();
        String heap = "384m";

        public Launch(String name, Path workDir) {
            this.name = name;
            this.workDir = workDir;
            properties.put("quarkus.http.host", "127.0.0.1");
            properties.put("carteiro.admin.email", ADMIN);
            properties.put("carteiro.api.basic-auth", "true");
            properties.put("carteiro.embedded-db.port", "0");
            properties.put("carteiro.bounce.listener-host", "127.0.0.1");
            properties.put("carteiro.bounce.listener-port", "0");
            properties.put("carteiro.bounce.domain", "bounces.ops.test");
            properties.put("carteiro.public-url", "https://news.ops.test");
            environment.put("CARTEIRO_ADMIN_PASSWORD", PASSWORD);
        }

        public Launch set(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Launch env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /**
         * Points Carteiro at a MariaDB server instead of the embedded one. Instances of one database are replicas of
         * one installation and so share its secrets key, as {@code k8s/} gives every pod the same one; without it
         * each would seal the generated keys with a key of its own that the others cannot read.
         */
        public Launch database(String jdbcUrl, String user, String password) {
            properties.put("quarkus.datasource.jdbc.url", jdbcUrl);
            properties.put("quarkus.datasource.username", user);
            environment.put("QUARKUS_DATASOURCE_PASSWORD", password);
            environment.put("CARTEIRO_SECRETS_KEY", INSTALLATION_SECRETS_KEY);
            return this;
        }

        /** Sends through the loopback DNS server to exchangers on {@code mxPort}. */
        public Launch sendingThrough(String dnsServer, int mxPort) {
            return set("carteiro.delivery.dns-servers", dnsServer)
                    .set("carteiro.delivery.mx-port", Integer.toString(mxPort))
                    .set("carteiro.delivery.allow-private-exchangers", "true")
                    .set("carteiro.delivery.ehlo-name", name + ".ops.test");
        }

        public Launch heap(String size) {
            heap = size;
            return this;
        }

        /** Starts the JVM and returns once its API answers (or fails with its log when it exits first). */
        public CarteiroProcess start() throws IOException, InterruptedException {
            PackagedApp.require();
            Files.createDirectories(workDir);
            int httpPort = freePort();
            int managementPort = freePort();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dquarkus.http.port=" + httpPort, "-Dquarkus.management.port=" + managementPort));
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-jar");
            command.add(PackagedApp.JAR.toAbsolutePath().toString());
            Path log = workDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            CarteiroProcess started = new CarteiroProcess(name, builder.start(), httpPort, managementPort, log);
            awaitTrue(Duration.ofMinutes(3), started::answers, "Carteiro '" + name + "' answered (log: " + log + ")");
            return started;
        }
    }

    public RequestSpecification api() {
        return RestAssured.given().baseUri("http://127.0.0.1:" + httpPort).auth().preemptive()
                .basic(ADMIN, PASSWORD).contentType(ContentType.JSON);
    }

    public int httpPort() {
        return httpPort;
    }

    public Process process() {
        return process;
    }

    public Path logFile() {
        return log;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /**
     * The HTTP status of a health endpoint ({@code ready}, {@code live}, {@code started}), or 0 when it does not
     * answer within 5 s. The management interface (its own port) serves health when enabled; otherwise the HTTP
     * port does. This is the one place that knows.
     */
    public int health(String which) {
        for (String base : List.of("http://127.0.0.1:" + managementPort, "http://127.0.0.1:" + httpPort)) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/" + which))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 404) {
                    return response.statusCode();
                }
            } catch (java.net.ConnectException notThisPort) {
                // the management interface is off: try the HTTP port
            } catch (IOException timedOut) {
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return 0;
    }

    /** SIGTERM, as an orchestrator stops a pod, and waits for the exit. */
    public int stop(Duration limit) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("Carteiro '" + name + "' did not stop within " + limit + " after SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no cleanup. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    private boolean answers() {
        if (!process.isAlive()) {
            String tail;
            try {
                List<String> lines = Files.readAllLines(log);
                tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                tail = e.getMessage();
            }
            throw new AssertionError("Carteiro '" + name + "' exited with " + process.exitValue() + ":\n" + tail);
        }
        try {
            return api().get("/api/lists/0").statusCode() == 404;
        } catch (Exception notListening) {  // RestAssured throws the connection refusal unchecked
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** Copies the logs of a test's folder to {@code target/process-logs/<test>/} before the folder is deleted. */
    public static void keepLogs(Path folder, String test) throws IOException {
        Path kept = Path.of("target", "process-logs", test);
        Files.createDirectories(kept);
        try (var files = Files.walk(folder, 3)) {
            for (Path log : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".log"))::iterator) {
                String name = folder.relativize(log).toString().replace('/', '-');
                Files.copy(log, kept.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    public static void awaitTrue(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + limit + " waiting until " + what);
            }
            Thread.sleep(200);  // polling an observable condition with a deadline
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
