package io.carteiro.deliverability;

import io.carteiro.support.SystemTools;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's dnsmasq as the DNS server of a test, on 127.0.0.1 and a free port, answering only from the records the
 * test gives it (names under {@code .test} and the reverse zone that it does not know are NXDOMAIN). Records are
 * written to a configuration file; {@link #restart} serves a new set on the same port.
 */
public final class Dnsmasq implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process process;

    private Dnsmasq(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Records in dnsmasq's configuration syntax, built up by a test. */
    public static final class Records {
        private final List<String> lines = new ArrayList<>();

        /** A TXT record; values over 255 bytes are split into character strings, as a zone file would. */
        public Records txt(String name, String value) {
            StringBuilder line = new StringBuilder("txt-record=").append(name);
            for (int i = 0; i < value.length(); i += 255) {
                line.append(",\"").append(value, i, Math.min(value.length(), i + 255)).append('"');
            }
            lines.add(line.toString());
            return this;
        }

        /** An A record and its PTR. */
        public Records host(String name, String address) {
            lines.add("host-record=" + name + "," + address);
            return this;
        }

        /** An A record without a PTR. */
        public Records aOnly(String name, String address) {
            lines.add("address=/" + name + "/" + address);
            return this;
        }

        /** A PTR record alone. */
        public Records ptr(String address, String name) {
            String[] b = address.split("\\.");
            lines.add("ptr-record=" + b[3] + "." + b[2] + "." + b[1] + "." + b[0] + ".in-addr.arpa," + name);
            return this;
        }

        public Records mx(String domain, String host, int preference) {
            lines.add("mx-host=" + domain + "," + host + "," + preference);
            return this;
        }
    }

    public static Dnsmasq start(Records records) throws IOException, InterruptedException {
        SystemTools.require("/usr/sbin/dnsmasq", "dnsmasq-base");
        Path dir = Files.createTempDirectory(Path.of("target"), "dnsmasq");
        for (int attempt = 0; ; attempt++) {
            Dnsmasq dns = new Dnsmasq(dir, freePort());
            if (dns.launch(records)) {
                return dns;
            }
            if (attempt >= 5) {
                throw new IOException("dnsmasq did not start; see " + dir.resolve("dnsmasq.log"));
            }
        }
    }

    /** Stops the server and serves {@code records} on the same port. */
    public void restart(Records records) throws IOException, InterruptedException {
        stop();
        if (!launch(records)) {
            throw new IOException("dnsmasq did not start again on port " + port);
        }
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, as carteiro.delivery.dns-servers takes it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    private boolean launch(Records records) throws IOException, InterruptedException {
        Path conf = dir.resolve("dnsmasq.conf");
        List<String> lines = new ArrayList<>(List.of("no-resolv", "no-hosts", "local=/test/", "local=/in-addr.arpa/",
                "listen-address=127.0.0.1", "bind-interfaces", "port=" + port));
        lines.addAll(records.lines);
        Files.write(conf, lines, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of("/usr/sbin/dnsmasq", "--keep-in-foreground",
                "--conf-file=" + conf, "--pid-file="));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=nobody");
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
        SimpleResolver probe = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
        probe.setTimeout(Duration.ofMillis(200));
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                Message answer = probe.send(Message.newQuery(Record.newRecord(Name.fromString("probe.test."), Type.A,
                        DClass.IN)));
                if (answer != null) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet: ask again
            }
        }
        return false;
    }

    private void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static int freePort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            return socket.getLocalPort();
        }
    }
}
