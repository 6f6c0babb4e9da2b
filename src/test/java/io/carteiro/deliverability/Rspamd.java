package io.carteiro.deliverability;

import io.carteiro.support.SystemTools;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's rspamd as a test's content scorer: one normal worker on 127.0.0.1 and the given port, in the foreground,
 * with the package's rules ({@code $CONFDIR/common.conf}) and no redis, controller or proxy. Its DNS is a closed
 * loopback port, so every network rule fails at once instead of waiting for the Internet. The compiled regular
 * expressions are kept in {@code target/rspamd-cache} (building them takes ten seconds; reading them back, one).
 */
public final class Rspamd implements AutoCloseable {

    private final Process process;
    private final Path dir;

    private Rspamd(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    /** Starts rspamd on 127.0.0.1:{@code port} and returns once it answers {@code /ping}. */
    public static Rspamd start(int port) throws IOException, InterruptedException {
        Path program = SystemTools.require("/usr/bin/rspamd", "rspamd");
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "rspamd").toAbsolutePath();
        Path cache = Files.createDirectories(Path.of("target", "rspamd-cache")).toAbsolutePath();
        Path conf = dir.resolve("rspamd.conf");
        Files.writeString(conf, """
                .include "$CONFDIR/common.conf"
                options {
                  pidfile = "%1$s/rspamd.pid";
                  .include "$CONFDIR/options.inc"
                  dns { nameserver = ["127.0.0.1:9"]; timeout = 0.2s; retransmits = 0; }
                }
                logging { type = "console"; level = "notice"; }
                worker "normal" {
                  bind_socket = "127.0.0.1:%2$d";
                  .include "$CONFDIR/worker-normal.inc"
                  count = 1;
                }
                """.formatted(dir, port), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(program.toString(), "-f", "-c", conf.toString(),
                "--var=DBDIR=" + cache, "--var=RUNDIR=" + dir, "--var=LOGDIR=" + dir));
        if ("root".equals(System.getProperty("user.name"))) {
            // rspamd refuses to run its workers as root unless told it may
            command.add("--insecure");
        }
        Path log = dir.resolve("rspamd.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Rspamd rspamd = new Rspamd(process, dir);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> pong = http.send(ping, HttpResponse.BodyHandlers.ofString());
                if (pong.statusCode() == 200 && pong.body().contains("pong")) {
                    return rspamd;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            // waits on the process, so that one that died is noticed at once
            if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
                throw new IOException("rspamd exited with " + process.exitValue() + " before listening on port "
                        + port + ":\n" + tail(log) + "\nrspamadm configtest says:\n" + configtest(conf, cache, dir));
            }
        }
        rspamd.close();
        throw new IOException("rspamd did not answer /ping on port " + port + " within 120 s:\n" + tail(log));
    }

    /** What rspamd wrote (its log), for a failing test's message. */
    public String log() throws IOException {
        return tail(dir.resolve("rspamd.log"));
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        workers.forEach(ProcessHandle::destroyForcibly);
    }

    private static String configtest(Path conf, Path cache, Path dir) {
        try {
            Process p = new ProcessBuilder("/usr/bin/rspamadm", "--var=DBDIR=" + cache, "--var=RUNDIR=" + dir,
                    "--var=LOGDIR=" + dir, "configtest", "-c", conf.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "(rspamadm did not run: " + e.getMessage() + ")";
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
