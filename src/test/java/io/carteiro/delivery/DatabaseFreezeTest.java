package io.carteiro.delivery;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged application's embedded MariaDB frozen with SIGSTOP for 30 s mid-campaign (issue 18.1 and 18.3): the
 * engine goes on sending what it holds, keeps the outcomes in its journal, stores them once the database answers
 * and finishes the campaign within a minute of its return, sending nothing twice beyond the messages on the wire;
 * it says once that the database is gone and once that it is back. Killed during the freeze and started again, it
 * replays its journal: what it delivered while the database was frozen is not sent again.
 */
class DatabaseFreezeTest {

    static final int RECIPIENTS = 6000;
    static final int DOMAINS = 3;
    /** SMTP sessions of the instance: the bound on messages it can have on the wire. */
    static final int SESSIONS = 16;
    static final Duration FREEZE = Duration.ofSeconds(30);
    static final Duration FINISH_BOUND = Duration.ofMinutes(1);
    /**
     * Shorter than the freeze, so the claims' leases run out while the database is away: the instance must neither
     * take its own claims again nor lose them to the lease when the database returns.
     */
    static final Duration LEASE = Duration.ofSeconds(20);

    PackagedCarteiro carteiro;

    @AfterEach
    void stop() throws Exception {
        if (carteiro != null) {
            carteiro.close();
        }
    }

    PackagedCarteiro.Instance start(Path dataDir) throws Exception {
        return carteiro.start("frozen", dataDir, Map.of("carteiro.delivery.sessions", Integer.toString(SESSIONS),
                "carteiro.delivery.lease", LEASE.toString()));
    }

    /** The instance started on its embedded database, a campaign to RECIPIENTS sent, a quarter of it arrived. */
    private long campaignUnderWay(PackagedCarteiro.Instance app) {
        long list = carteiro.list(app, "Freeze");
        carteiro.importSubscribers(app, list, "f", RECIPIENTS, DOMAINS);
        long id = carteiro.sendCampaign(app, List.of(list));
        PackagedCarteiro.awaitTrue(Duration.ofSeconds(300), () -> carteiro.received() >= RECIPIENTS / 4,
                "a quarter arrived");
        return id;
    }

    private void withSinks() throws Exception {
        carteiro = PackagedCarteiro.withEmbeddedDatabases();
        for (int d = 0; d < DOMAINS; d++) {
            carteiro.sink(carteiro.domain(d), TestSmtpServer.Behaviour.ACCEPT);
        }
    }

    @Test
    void aCampaignShouldOutlastAThirtySecondFreezeOfItsDatabaseWithoutSendingTwice() throws Exception {
        withSinks();
        PackagedCarteiro.Instance app = start(Path.of("target", "engine-" + carteiro.tag + "-data"));
        long id = campaignUnderWay(app);

        ProcessHandle database = app.embeddedDatabase();
        int logBefore = app.logText().length();
        PackagedCarteiro.signal(database, "STOP");
        int receivedAtFreeze = carteiro.received();
        Thread.sleep(FREEZE.toMillis()); // the outage itself: the database stays frozen this long
        int receivedInFreeze = carteiro.received() - receivedAtFreeze;
        PackagedCarteiro.signal(database, "CONT");
        long back = System.nanoTime();
        PackagedCarteiro.awaitTrue(Duration.ofMinutes(5), () -> "finished".equals(carteiro.campaign(app, id)
                .getString("status")), "campaign " + id + " finished");
        Duration finished = Duration.ofNanos(System.nanoTime() - back);

        Map<String, Integer> times = carteiro.deliveries();
        long duplicates = EngineCrashTest.duplicates(times);
        String outageLog = app.logText().substring(logBefore);
        int lost = occurrences(outageLog, "database unreachable");
        int returned = occurrences(outageLog, "database back after");
        int engineErrors = occurrences(outageLog, "ERROR [io.carteiro.delivery");
        System.out.printf("freeze: %d recipients; frozen %d s after %d arrived, %d arrived during the freeze;"
                        + " finished %d ms after the database came back (bound %d s); %d delivered twice (bound %d);"
                        + " engine log: %d 'unreachable', %d 'back', %d errors%n", RECIPIENTS, FREEZE.toSeconds(),
                receivedAtFreeze, receivedInFreeze, finished.toMillis(), FINISH_BOUND.toSeconds(), duplicates,
                SESSIONS, lost, returned, engineErrors);
        assertTrue(finished.compareTo(FINISH_BOUND) < 0, "finished " + finished + " after the database came back");
        assertTrue(duplicates <= SESSIONS, duplicates + " duplicates, more than the " + SESSIONS + " sessions");
        assertEquals(RECIPIENTS, times.size(), "every recipient received the campaign");
        assertEquals(RECIPIENTS, carteiro.campaign(app, id).getInt("sent"));
        assertEquals(1, lost, "the loss of the database is said once:\n" + outageLog);
        assertTrue(returned >= 1, "its return is said:\n" + outageLog);
        assertEquals(0, engineErrors, "no delivery errors were logged:\n" + outageLog);
    }

    @Test
    void aCrashDuringAFreezeShouldNotResendWhatTheJournalKept() throws Exception {
        withSinks();
        Path dataDir = Path.of("target", "engine-" + carteiro.tag + "-data");
        PackagedCarteiro.Instance app = start(dataDir);
        long id = campaignUnderWay(app);

        ProcessHandle database = app.embeddedDatabase();
        PackagedCarteiro.signal(database, "STOP");
        Set<String> beforeFreeze = new HashSet<>(carteiro.deliveries().keySet());
        // what arrives now is known to the engine only: its outcomes cannot reach the frozen database (sessions
        // already open go on; a new destination run waits for the database, for its MTA-STS policy)
        PackagedCarteiro.awaitTrue(Duration.ofSeconds(60), () -> carteiro.received() > beforeFreeze.size(),
                "messages arrived while the database was frozen");
        app.kill();
        Set<String> duringFreeze = new HashSet<>(carteiro.deliveries().keySet());
        duringFreeze.removeAll(beforeFreeze);
        PackagedCarteiro.signal(database, "CONT"); // the killed application's database, left running
        PackagedCarteiro.Instance restarted = start(dataDir);
        PackagedCarteiro.awaitTrue(Duration.ofMinutes(5), () -> "finished".equals(carteiro.campaign(restarted, id)
                .getString("status")), "campaign " + id + " finished");

        Map<String, Integer> times = carteiro.deliveries();
        long duplicates = EngineCrashTest.duplicates(times);
        long resentFromFreeze = duringFreeze.stream().filter(a -> times.get(a) > 1).count();
        System.out.printf("crash during a freeze: %d arrived while frozen, %d of them sent again; %d delivered twice"
                + " in all (bound %d)%n", duringFreeze.size(), resentFromFreeze, duplicates, SESSIONS);
        assertTrue(restarted.logText().contains("replayed the delivery journal"), "the journal was replayed");
        assertTrue(resentFromFreeze <= SESSIONS, resentFromFreeze + " messages that arrived during the freeze were"
                + " sent again");
        assertTrue(duplicates <= SESSIONS, duplicates + " duplicates, more than the " + SESSIONS + " sessions");
        assertEquals(RECIPIENTS, times.size(), "every recipient received the campaign");
        assertEquals(RECIPIENTS, carteiro.campaign(restarted, id).getInt("sent"));
    }

    static int occurrences(String text, String phrase) {
        Matcher m = Pattern.compile(Pattern.quote(phrase)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
