package io.carteiro.delivery;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An instance killed with SIGKILL mid-campaign (issue 13.8), with the packaged application, two instances on one
 * database and the sinks counting: its claims come back to the survivor at once when the survivor finds its journal
 * in the data folder they share, or after the instance timeout from its silent heartbeat when they do not (separate
 * machines); everyone gets the campaign, and the only messages sent twice are the ones the killed instance had on
 * the wire at the kill, at most one per SMTP session it could have open.
 */
class EngineCrashTest {

    static final int RECIPIENTS = 20_000;
    static final int DOMAINS = 10;
    /** SMTP sessions of the instance that is killed: the bound on messages it can have on the wire. */
    static final int SESSIONS = 8;
    /** The bound on the delay a crash may cost (issue 13.8). */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(30);

    PackagedCarteiro carteiro;

    @AfterEach
    void stop() throws Exception {
        if (carteiro != null) {
            carteiro.close();
        }
    }

    static Map<String, String> settings() {
        return Map.of("carteiro.delivery.sessions", Integer.toString(SESSIONS),
                // idle claimers look every 0.1 s, so both instances hold claims when the campaign starts
                "carteiro.delivery.idle-poll", "PT0.1S");
    }

    @Test
    void aKilledInstanceShouldDelayItsMailBrieflyAndRepeatAtMostItsOpenSessions() throws Exception {
        carteiro = PackagedCarteiro.withSharedDatabase();
        for (int d = 0; d < DOMAINS; d++) {
            carteiro.sink(carteiro.domain(d), TestSmtpServer.Behaviour.ACCEPT);
        }
        Path shared = Path.of("target", "engine-" + carteiro.tag + "-data");
        PackagedCarteiro.Instance victim = carteiro.start("victim", shared, settings());
        PackagedCarteiro.Instance survivor = carteiro.start("survivor", shared, settings());
        long list = carteiro.list(victim, "Crash");
        carteiro.importSubscribers(victim, list, "r", RECIPIENTS, DOMAINS);
        awaitBothLive();

        long started = System.nanoTime();
        long id = carteiro.sendCampaign(victim, List.of(list));
        Kill kill = killWhenUnderWay(victim, RECIPIENTS / 4);
        PackagedCarteiro.awaitTrue(Duration.ofSeconds(300), () -> carteiro.count(unfinished(id)) == 0,
                "every message of campaign " + id + " was settled");
        Duration total = Duration.ofNanos(System.nanoTime() - started);
        Duration recovery = kill.recovery();

        Map<String, Integer> times = carteiro.deliveries();
        long duplicates = duplicates(times);
        System.out.printf("crash (shared data folder): %d recipients in %d domains; killed %d ms after send with %d"
                        + " received and %d claimed by the killed instance; its claims back after %d ms (bound %d s);"
                        + " %d delivered twice (bound %d sessions); %d missing; campaign sent in %d ms%n",
                RECIPIENTS, DOMAINS, Duration.ofNanos(kill.at() - started).toMillis(), kill.received(), kill.claimed(),
                recovery.toMillis(), RECOVERY_BOUND.toSeconds(), duplicates, SESSIONS, RECIPIENTS - times.size(),
                total.toMillis());
        assertTrue(recovery.compareTo(RECOVERY_BOUND) < 0, "claims back after " + recovery);
        assertTrue(duplicates <= SESSIONS, duplicates + " duplicates, more than the " + SESSIONS + " sessions");
        assertEquals(RECIPIENTS, times.size(), "every recipient received the campaign");
        assertTrue(survivor.logText().contains("replayed the delivery journal"),
                "the survivor replayed the killed instance's journal");
        JsonPath counters = carteiro.campaign(survivor, id);
        assertEquals(RECIPIENTS, counters.getInt("sent"), "the queue counts every message once as sent");
        assertEquals(0, counters.getInt("remaining"));
    }

    @Test
    void aSilentInstancesClaimsShouldBeReleasedWithinTheInstanceTimeout() throws Exception {
        carteiro = PackagedCarteiro.withSharedDatabase();
        int recipients = 2000;
        for (int d = 0; d < 2; d++) {
            carteiro.sink(carteiro.domain(d), TestSmtpServer.Behaviour.ACCEPT_SLOWLY);
        }
        // separate data folders, as on separate machines: only the heartbeat tells that the victim is gone
        PackagedCarteiro.Instance victim = carteiro.start("victim",
                Path.of("target", "engine-" + carteiro.tag + "-victim"), settings());
        PackagedCarteiro.Instance survivor = carteiro.start("survivor",
                Path.of("target", "engine-" + carteiro.tag + "-survivor"), settings());
        long list = carteiro.list(victim, "Silence");
        carteiro.importSubscribers(victim, list, "s", recipients, 2);
        awaitBothLive();

        long id = carteiro.sendCampaign(victim, List.of(list));
        Kill kill = killWhenUnderWay(victim, recipients / 10);
        Duration recovery = kill.recovery();
        long claimedAtKill = kill.claimed();
        PackagedCarteiro.awaitTrue(Duration.ofSeconds(300), () -> carteiro.count(unfinished(id)) == 0,
                "every message of campaign " + id + " was settled");

        Map<String, Integer> times = carteiro.deliveries();
        long duplicates = duplicates(times);
        System.out.printf("crash (separate data folders): %d claimed by the killed instance, released after %d ms"
                        + " (bound %d s); %d delivered twice; %d missing%n", claimedAtKill, recovery.toMillis(),
                RECOVERY_BOUND.toSeconds(), duplicates, recipients - times.size());
        assertTrue(recovery.compareTo(RECOVERY_BOUND) < 0, "claims released after " + recovery);
        assertTrue(survivor.logText().contains("was silent for more than"), "released for its silence");
        assertTrue(duplicates <= claimedAtKill, duplicates + " duplicates, more than the " + claimedAtKill
                + " messages the killed instance held");
        assertEquals(recipients, times.size(), "every recipient received the campaign");
    }

    /**
     * What a kill came to: when it happened (System.nanoTime), what had arrived, what the killed instance held, and
     * how long until its claims were released.
     */
    private record Kill(long at, int received, long claimed, Duration recovery) {
    }

    /** Kills the instance once {@code received} messages arrived and it holds claims; waits for their release. */
    private Kill killWhenUnderWay(PackagedCarteiro.Instance victim, int received) throws InterruptedException {
        String claimedByVictim = "SELECT COUNT(*) FROM outbound_message WHERE state = 'sending' AND lease_owner LIKE '%/"
                + victim.process().pid() + "/%'";
        PackagedCarteiro.awaitTrue(Duration.ofSeconds(300), () -> carteiro.received() >= received
                && carteiro.count(claimedByVictim) > 0, received + " arrived and the victim holds claims");
        victim.kill();
        long killed = System.nanoTime();
        int receivedAtKill = carteiro.received();
        long claimedAtKill = carteiro.count(claimedByVictim);
        PackagedCarteiro.awaitTrue(Duration.ofSeconds(120), () -> carteiro.count(claimedByVictim) == 0,
                "the killed instance's claims were released");
        return new Kill(killed, receivedAtKill, claimedAtKill, Duration.ofNanos(System.nanoTime() - killed));
    }

    /** Waits until both instances' heartbeats are in, so each takes its share from the start. */
    private void awaitBothLive() {
        PackagedCarteiro.awaitTrue(Duration.ofSeconds(60), () -> carteiro.count("SELECT COUNT(*) FROM"
                + " delivery_instance WHERE heartbeat_at > UTC_TIMESTAMP(6) - INTERVAL 10 SECOND") == 2,
                "both instances beat");
    }

    static long duplicates(Map<String, Integer> times) {
        return times.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
    }

    static String unfinished(long campaignId) {
        return "SELECT COUNT(*) FROM outbound_message WHERE campaign_id = " + campaignId
                + " AND state IN ('queued', 'sending', 'deferred')";
    }
}
