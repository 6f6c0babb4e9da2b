package io.carteiro.delivery;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Traffic shaping holds for the installation, not per process (issue 13.10), with two packaged instances on one
 * database: each takes its share of a destination's session limit and of a domain's rate from the live instance
 * count, and a suspension one instance recorded holds for another instance started after it stopped.
 */
class ShapingAcrossInstancesTest {

    /** Sessions per destination for the whole installation: 1 for each of two instances. */
    static final int CONCURRENCY = 2;
    /** Messages per second to the rated domain for the whole installation: 2 for each of two instances. */
    static final int RATE = 4;

    PackagedCarteiro carteiro;

    @AfterEach
    void stop() throws Exception {
        if (carteiro != null) {
            carteiro.close();
        }
    }

    @Test
    void twoInstancesShouldShareTheSessionLimitAndTheRateOfADestination() throws Exception {
        carteiro = PackagedCarteiro.withSharedDatabase();
        String capped = carteiro.domain(0);
        String rated = carteiro.domain(1);
        ScriptedSmtpServer slow = carteiro.scripted(capped, ScriptedSmtpServer.Script.SLOW);
        ScriptedSmtpServer fast = carteiro.scripted(rated, ScriptedSmtpServer.Script.ACCEPT);
        Map<String, String> settings = new HashMap<>();
        settings.put("carteiro.delivery.destination-concurrency", Integer.toString(CONCURRENCY));
        settings.put("carteiro.delivery.throttle.rules.\"" + rated + "\".rate", Integer.toString(RATE));
        // small claims and destination queues, so both instances hold messages of both domains
        settings.put("carteiro.delivery.batch-size", "4");
        settings.put("carteiro.delivery.destination-queue-limit", "2");
        settings.put("carteiro.delivery.idle-poll", "PT0.1S");
        PackagedCarteiro.Instance a = carteiro.start("a", Path.of("target", "engine-" + carteiro.tag + "-a"),
                settings);
        PackagedCarteiro.Instance b = carteiro.start("b", Path.of("target", "engine-" + carteiro.tag + "-b"),
                settings);
        PackagedCarteiro.awaitTrue(Duration.ofSeconds(60), () -> sharesWithTwo(a) && sharesWithTwo(b),
                "each instance counts two live instances");
        long list = carteiro.list(a, "Shaping");
        carteiro.importSubscribers(a, list, "c", 40, 2); // 20 to each domain

        long id = carteiro.sendCampaign(a, List.of(list));
        PackagedCarteiro.awaitTrue(Duration.ofMinutes(3), () -> "finished".equals(carteiro.campaign(a, id)
                .getString("status")), "campaign " + id + " finished");

        Map<String, List<ScriptedSmtpServer.Arrival>> byInstance = fast.arrivals().stream()
                .collect(Collectors.groupingBy(ScriptedSmtpServer.Arrival::client));
        StringBuilder rates = new StringBuilder();
        byInstance.forEach((client, arrivals) -> rates.append(client).append(": ").append(arrivals.size())
                .append(" in ").append(spanMillis(arrivals)).append(" ms; "));
        System.out.printf("shaping: sessions at once to the capped domain a=%d b=%d all=%d (limit %d); rated domain"
                        + " (%d/s in all) %s%n", slow.mostAtOnceFrom("a.engine.test"),
                slow.mostAtOnceFrom("b.engine.test"), slow.mostAtOnce(), CONCURRENCY, RATE, rates);
        assertEquals(20, slow.received().size());
        assertEquals(20, fast.received().size());
        for (String instance : List.of("a.engine.test", "b.engine.test")) {
            assertTrue(slow.mostAtOnceFrom(instance) <= CONCURRENCY / 2, instance + " opened "
                    + slow.mostAtOnceFrom(instance) + " sessions at once, more than its share");
        }
        assertTrue(slow.mostAtOnce() <= CONCURRENCY, slow.mostAtOnce() + " sessions at once in all");
        double share = RATE / 2.0;
        byInstance.forEach((client, arrivals) -> {
            // The limiter lets one second's worth through at once; one second more covers transit times.
            double allowed = share * (spanMillis(arrivals) / 1000.0 + 2) + 1;
            assertTrue(arrivals.size() <= allowed, client + " sent " + arrivals.size() + " messages in "
                    + spanMillis(arrivals) + " ms, more than its share of " + share + "/s allows");
        });
    }

    @Test
    void aSuspensionShouldHoldForAnotherInstanceStartedLater() throws Exception {
        carteiro = PackagedCarteiro.withSharedDatabase();
        String busy = carteiro.domain(0);
        TestSmtpServer refusing = carteiro.sink(busy, TestSmtpServer.Behaviour.DEFER_451);
        Map<String, String> settings = Map.of("carteiro.delivery.throttle.suspend-after", "3",
                "carteiro.delivery.throttle.suspend-for", "PT10M");
        PackagedCarteiro.Instance first = carteiro.start("first",
                Path.of("target", "engine-" + carteiro.tag + "-first"), settings);
        long list = carteiro.list(first, "Busy");
        carteiro.importSubscribers(first, list, "b", 6, 1);
        long id = carteiro.sendCampaign(first, List.of(list));
        PackagedCarteiro.awaitTrue(Duration.ofMinutes(2), () -> carteiro.campaign(first, id).getInt("deferred") == 6,
                "every message of campaign " + id + " was deferred");
        assertTrue(carteiro.count("SELECT COUNT(*) FROM destination_suspension WHERE destination = 'domain:" + busy
                + "' AND suspended_until > UTC_TIMESTAMP(6)") == 1, "the suspension is recorded for every instance");
        first.stop();
        int sessionsBefore = refusing.sessions();

        PackagedCarteiro.Instance second = carteiro.start("second",
                Path.of("target", "engine-" + carteiro.tag + "-second"), settings);
        long message = carteiro.message(second, "late@" + busy);
        PackagedCarteiro.awaitTrue(Duration.ofMinutes(1), () -> "deferred".equals(carteiro.messageState(second,
                message).getString("state")), "message " + message + " was deferred");

        JsonPath state = carteiro.messageState(second, message);
        System.out.printf("suspension: %d sessions before the restart, %d after; the new message: %s%n",
                sessionsBefore, refusing.sessions(), state.getString("attempts[0].reply"));
        assertEquals(sessionsBefore, refusing.sessions(), "the suspended destination got no connection");
        assertTrue(state.getString("attempts[0].reply").contains("suspended"), state.prettify());
    }

    private static boolean sharesWithTwo(PackagedCarteiro.Instance instance) {
        return instance.logText().contains("2 live delivery instance(s) share the shaping limits");
    }

    static long spanMillis(List<ScriptedSmtpServer.Arrival> arrivals) {
        long first = arrivals.stream().mapToLong(ScriptedSmtpServer.Arrival::nanos).min().orElse(0);
        long last = arrivals.stream().mapToLong(ScriptedSmtpServer.Arrival::nanos).max().orElse(0);
        return (last - first) / 1_000_000;
    }
}
