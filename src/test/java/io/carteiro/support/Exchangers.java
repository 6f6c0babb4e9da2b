package io.carteiro.support;

import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.TestSmtpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Receiving mail servers for packaged-app tests: a loopback DNS server naming one SMTP server on its own 127.0.0.x
 * address as the MX of each recipient domain, all on one port; deliveries are counted where they arrive.
 */
public final class Exchangers implements AutoCloseable {

    private final LoopbackDnsServer dns;
    private final int port;
    private final int firstHost;
    private final List<TestSmtpServer> servers = new ArrayList<>();

    private Exchangers(LoopbackDnsServer dns, int port, int firstHost) {
        this.dns = dns;
        this.port = port;
        this.firstHost = firstHost;
    }

    /** Exchangers on 127.0.0.{firstHost}… (each test class its own range, so parallel runs do not meet). */
    public static Exchangers start(int firstHost, int domains, TestSmtpServer.Behaviour behaviour) throws IOException {
        int port = freePortOn(firstHost, firstHost + domains - 1);
        Exchangers exchangers = new Exchangers(LoopbackDnsServer.start(), port, firstHost);
        for (int i = 0; i < domains; i++) {
            String address = "127.0.0." + (firstHost + i);
            exchangers.servers.add(TestSmtpServer.start(address, exchangers.port, behaviour));
            exchangers.dns.mx(exchangers.domain(i), 10, "mx." + exchangers.domain(i)).a("mx." + exchangers.domain(i),
                    address);
        }
        return exchangers;
    }

    public String domain(int i) {
        return "d" + i + "-h" + firstHost + ".ops.test";
    }

    /** {@code count} addresses spread over the domains. */
    public List<String> addresses(String prefix, int count) {
        List<String> out = new ArrayList<>(count);
        for (int n = 1; n <= count; n++) {
            out.add(prefix + n + "@" + domain(n % servers.size()));
        }
        return out;
    }

    public String dnsAddress() {
        return dns.address();
    }

    public int port() {
        return port;
    }

    /** Every recipient the exchangers accepted, with how many times. */
    public Map<String, Integer> deliveries() {
        Map<String, Integer> times = new HashMap<>();
        for (TestSmtpServer server : servers) {
            for (TestSmtpServer.Received r : server.received()) {
                times.merge(r.to().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
            }
        }
        return times;
    }

    public int received() {
        return servers.stream().mapToInt(s -> s.received().size()).sum();
    }

    public static long duplicates(Map<String, Integer> deliveries) {
        return deliveries.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
    }

    @Override
    public void close() throws Exception {
        for (TestSmtpServer s : servers) {
            s.close();
        }
        dns.close();
    }

    /** A port outside the ephemeral range that is free on 127.0.0.{first} … 127.0.0.{last}. */
    public static int freePortOn(int first, int last) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(30000, 32000);
            boolean free = true;
            for (int host = first; host <= last && free; host++) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + host), port));
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on 127.0.0." + first + "-" + last);
    }
}
