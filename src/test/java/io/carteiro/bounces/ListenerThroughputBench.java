package io.carteiro.bounces;

import io.agroal.api.AgroalDataSource;
import io.carteiro.delivery.VerpAddress;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Benchmark, not run by default (run with bench/bounce-listener-bench.sh): DSNs per second through the listener end
 * to end, i.e. SMTP dialogue, parse, VERP check, bounce row, rules (subscriber bounced, consent event, queue
 * cancellation), commit, 250 reply. Each DSN is about a different subscriber, so every one takes the full path.
 */
@QuarkusTest
@TestProfile(ListenerThroughputBench.Profile.class)
class ListenerThroughputBench {

    /** More connections per client address than the default test profile allows. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("carteiro.bounce.max-connections-per-ip", "64", "quarkus.log.category.\"io.carteiro\".level",
                    "WARN");
        }
    }

    static final int DSNS = Integer.parseInt(System.getenv().getOrDefault("BENCH_DSNS", "3000"));
    static final int CLIENTS = Integer.parseInt(System.getenv().getOrDefault("BENCH_CLIENTS", "8"));
    static final int RUNS = Integer.parseInt(System.getenv().getOrDefault("BENCH_RUNS", "3"));

    @Inject
    BounceListener listener;
    @Inject
    AgroalDataSource db;
    @Inject
    VerpAddress verp;

    record Target(String returnPath, byte[] dsn) {
    }

    @Test
    void dsnsPerSecondThroughTheListener() throws Exception {
        double[] rates = new double[RUNS];
        for (int run = 0; run < RUNS; run++) {
            List<Target> targets = prepare(DSNS, run);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            long start = System.nanoTime();
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    int accepted = 0;
                    try (SmtpDialogue smtp = new SmtpDialogue(listener.port())) {
                        smtp.send("EHLO bench.example");
                        for (int i = client; i < targets.size(); i += CLIENTS) {
                            smtp.send("MAIL FROM:<>");
                            smtp.send("RCPT TO:<" + targets.get(i).returnPath() + ">");
                            smtp.send("DATA");
                            if (smtp.data(targets.get(i).dsn()).startsWith("250")) {
                                accepted++;
                            }
                        }
                    }
                    return accepted;
                }));
            }
            int accepted = 0;
            for (Future<Integer> f : done) {
                accepted += f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            assertEquals(DSNS, accepted);
            rates[run] = DSNS / seconds;
            System.out.printf("BENCH run %d: %d DSNs with %d connections in %.2f s = %.0f DSNs/s%n", run + 1, DSNS,
                    CLIENTS, seconds, rates[run]);
            try (Connection c = db.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from subscriber where status = 'bounced' and email like 'bench"
                         + run + "-%'")) {
                rs.next();
                assertEquals(DSNS, rs.getInt(1), "every DSN bounced its subscriber");
            }
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        System.out.printf("BENCH median: %.0f DSNs/s (runs: %s)%n", median, Arrays.toString(
                Arrays.stream(rates).mapToLong(Math::round).toArray()));
        assertTrue(median > 0);
    }

    /** One subscriber, list subscription and sent message per DSN, inserted in batches. */
    private List<Target> prepare(int count, int run) throws Exception {
        List<Target> targets = new ArrayList<>(count);
        try (Connection c = db.getConnection()) {
            long list;
            try (Statement s = c.createStatement()) {
                s.executeUpdate("insert into mailing_list (name) values ('bench " + System.nanoTime() + "')",
                        Statement.RETURN_GENERATED_KEYS);
                ResultSet keys = s.getGeneratedKeys();
                keys.next();
                list = keys.getLong(1);
            }
            String prefix = "bench" + run + "-" + System.nanoTime() + "-";
            long[] subscribers = new long[count];
            try (PreparedStatement ps = c.prepareStatement("insert into subscriber (email, email_key, domain) values (?, ?, 'bench.example')",
                    Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < count; i++) {
                    String email = prefix + i + "@bench.example";
                    ps.setString(1, email);
                    ps.setString(2, email);
                    ps.addBatch();
                }
                ps.executeBatch();
                ResultSet keys = ps.getGeneratedKeys();
                for (int i = 0; i < count && keys.next(); i++) {
                    subscribers[i] = keys.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("insert into subscription (list_id, subscriber_id, status, source) values (?, ?, 'confirmed', 'admin')")) {
                for (long id : subscribers) {
                    ps.setLong(1, list);
                    ps.setLong(2, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into outbound_message (campaign_id, subscriber_id, list_id, recipient, recipient_domain, sender,
                                                  state, message_id, sent_at, next_attempt_at)
                    values (?, ?, ?, ?, 'bench.example', 'news@lists.bench', 'sent', ?, current_timestamp(6), null)""",
                    Statement.RETURN_GENERATED_KEYS)) {
                long campaign = 800_000_000L + run;
                for (int i = 0; i < count; i++) {
                    ps.setLong(1, campaign);
                    ps.setLong(2, subscribers[i]);
                    ps.setLong(3, list);
                    ps.setString(4, prefix + i + "@bench.example");
                    ps.setString(5, "<" + prefix + i + "@lists.bench>");
                    ps.addBatch();
                }
                ps.executeBatch();
                ResultSet keys = ps.getGeneratedKeys();
                for (int i = 0; i < count && keys.next(); i++) {
                    String email = prefix + i + "@bench.example";
                    targets.add(new Target(verp.returnPath(keys.getLong(1)),
                            BounceTestData.dsn(email, "5.1.1", "550 5.1.1 user unknown", "<" + prefix + i + "@lists.bench>")));
                }
            }
        }
        assertEquals(count, targets.size());
        return targets;
    }
}
