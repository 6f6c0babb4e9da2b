package io.carteiro.ops;

import io.carteiro.delivery.TestSmtpServer;
import io.carteiro.support.CarteiroProcess;
import io.carteiro.support.DebianMariaDb;
import io.carteiro.support.Exchangers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A packaged Carteiro on a MariaDB server (Debian's {@code mariadb-server}, in a time zone five hours east of UTC)
 * that is stopped for 30 s mid-campaign and started again, as in a server upgrade or a failover.
 */
class ServerOutageTest {

    static final int RECIPIENTS = 2000;
    static final Duration OUTAGE = Duration.ofSeconds(30);

    Path folder;
    DebianMariaDb database;
    Exchangers exchangers;
    CarteiroProcess app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (exchangers != null) {
            exchangers.close();
        }
        if (database != null) {
            database.close();
        }
        if (folder != null && Files.exists(folder)) {
            CarteiroProcess.keepLogs(folder, getClass().getSimpleName());
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void stoppedServerShouldPauseSendingAndTheCampaignFinishSoonAfterItsReturn() throws Exception {
        DebianMariaDb.require();
        folder = Path.of("target", "ops-tests", "server-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        // a server whose own zone is not UTC: times must still be stored and compared in UTC
        database = DebianMariaDb.create("server", folder.resolve("mariadb"), CarteiroProcess.freePort(),
                List.of("--default-time-zone=+05:00")).start(Duration.ofMinutes(2));
        exchangers = Exchangers.start(160, 4, TestSmtpServer.Behaviour.ACCEPT_SLOWLY);
        app = CampaignUnderTest.engineSettings(new CarteiroProcess.Launch("server", folder))
                .database(database.jdbcUrl(), database.user(), database.password())
                .sendingThrough(exchangers.dnsAddress(), exchangers.port())
                .set("carteiro.ops.outage-log-interval", "PT10S")
                .start();
        CampaignUnderTest campaign = CampaignUnderTest.start(app, exchangers, "stopped", RECIPIENTS);
        campaign.awaitReceived(RECIPIENTS / 4);
        int logBefore = app.log().length();

        database.stop();
        CampaignUnderTest.Outage outage = campaign.holdOutage(OUTAGE);
        database.start(Duration.ofMinutes(2));
        Instant back = Instant.now();
        CarteiroProcess.awaitTrue(Duration.ofMinutes(1), () -> app.health("ready") == 200, "readiness came back");
        Instant finished = campaign.awaitFinished(Duration.ofMinutes(5));
        String outageLog = app.log().substring(logBefore);

        System.out.printf("database server stopped for %s: %d recipients, %d lost, %d delivered twice, finished %d s"
                        + " after the return, %d log lines during and after the outage%n", OUTAGE, RECIPIENTS,
                campaign.lost(), campaign.duplicates(), Duration.between(back, finished).toSeconds(),
                outageLog.lines().count());
        assertEquals(List.of(503), outage.readiness().stream().filter(s -> s != 200).distinct().toList(),
                "readiness answered 503 while the database was away: " + outage.readiness());
        assertTrue(outage.readiness().contains(503), "readiness went down: " + outage.readiness());
        assertTrue(outage.liveness().stream().allMatch(s -> s == 200), "an unreachable server is no reason to restart: "
                + outage.liveness());
        // sending pauses: what goes out meanwhile is only what the engine had claimed before (how fast that drains
        // depends on the machine's load, so it is bounded by count, not by time)
        assertTrue(outage.sentDuring() <= CampaignUnderTest.IN_HAND, outage.sentDuring()
                + " messages sent while the database was away; the engine holds at most " + CampaignUnderTest.IN_HAND);
        assertEquals(0, campaign.lost(), "every recipient got the campaign");
        EmbeddedDatabaseOutageTest.assertQuietLog(outageLog);
        assertTrue(outageLog.contains("The database is reachable again"), outageLog);
        assertTrue(Duration.between(back, finished).compareTo(Duration.ofMinutes(1)) <= 0,
                "finished within a minute of the database's return (needs the engine to keep the outcomes it"
                        + " could not record, issue 18.1)");
        assertTrue(campaign.duplicates() <= CampaignUnderTest.SESSIONS, campaign.duplicates()
                + " duplicates; at most the open SMTP sessions (needs the engine's outcome journal, issue 18.1)");
    }
}
