package io.carteiro.delivery;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code carteiro.delivery.destination=mx-hosts}: recipient domains served by the same MX hosts are one destination,
 * so they share one concurrency limit (here 1) instead of each having its own (see
 * {@code DeliveryEngineTest#domainsSharingAnMxShouldEachHaveTheirOwnSessionsByDefault} for the default).
 */
@QuarkusTest
@TestProfile(MxHostsDestinationTest.MxHosts.class)
class MxHostsDestinationTest {

    /** The loopback network with destinations by MX host set. */
    public static class MxHosts extends LoopbackNetwork {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("carteiro.delivery.destination", "mx-hosts");
            // a session that has the server to itself waits ScriptedSmtpServer.PAIR_WAIT_MILLIS for its greeting
            config.put("carteiro.delivery.timeouts.greeting", "PT10S");
            return config;
        }
    }

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    MailQueue queue;
    @Inject
    DeliveryTestSupport support;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void domainsServedByTheSameMxHostsShouldShareOneConcurrencyLimit() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(ports.nextAddress(), ports.port(),
                ScriptedSmtpServer.Script.PAIRS)) {
            dns.mx("mxhosts-a.test", 10, "mx.mxhosts-a.test").a("mx.mxhosts-a.test", server.address());
            dns.mx("mxhosts-b.test", 10, "mx.mxhosts-a.test");

            List<Long> ids = queueTwoEach(queue, "mxhosts-a.test", "mxhosts-b.test");
            QueueRows rows = new QueueRows(dataSource);
            support.running(() -> ids.stream().allMatch(id -> DeliveryTestSupport.settled(rows.row(id).state())),
                    Duration.ofSeconds(60), "every message was settled");

            assertEquals(4, server.received().size());
            assertEquals(1, server.mostAtOnce(), "one session at a time for both domains");
        }
    }

    /** Queues two messages to each domain, in one transaction (so one claim sees them all). */
    static List<Long> queueTwoEach(MailQueue queue, String... domains) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Long> ids = new ArrayList<>();
            for (String domain : domains) {
                for (int i = 0; i < 2; i++) {
                    ids.add(queue.submit(new OutgoingMail("news@sender.test", "r" + i + "@" + domain, "Shared MX",
                            null, "text", Map.of(), null, null)));
                }
            }
            return ids;
        });
    }
}
