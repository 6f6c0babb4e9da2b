package io.carteiro.ops;

import io.carteiro.delivery.TestSmtpServer;
import io.carteiro.support.CarteiroProcess;
import io.carteiro.support.Exchangers;
import io.carteiro.support.ListeningSockets;
import io.carteiro.support.Newsletter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The life of a newcomer's installation, in order: the packaged application started from a folder under the
 * temporary directory (a usual place to try software) with its embedded database, attacked on the database port,
 * killed with SIGKILL and started again, then stopped with SIGTERM in the middle of a campaign and an import.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NewcomerInstallationTest {

    /** A log line of level ERROR (plain or JSON format). */
    static final Pattern ERROR_LINE = Pattern.compile("(?m)^\\S+ \\S+ ERROR |\"level\":\"ERROR\"");

    Path folder;
    Exchangers exchangers;
    int databasePort;
    CarteiroProcess app;
    long bulkImport;
    long stoppedCampaign;

    @BeforeAll
    void startInATemporaryFolder() throws Exception {
        folder = Files.createTempDirectory("carteiro-try");
        exchangers = Exchangers.start(140, 2, TestSmtpServer.Behaviour.ACCEPT_SLOWLY);
        databasePort = CarteiroProcess.freePort();
        app = launch("first").start();
    }

    CarteiroProcess.Launch launch(String name) {
        return new CarteiroProcess.Launch(name, folder)
                .set("carteiro.embedded-db.port", Integer.toString(databasePort))
                // claims of a stopped sender come back after this lease (sooner once the engine releases them at
                // SIGTERM); the default 10 minutes would outlast the test
                .set("carteiro.delivery.lease", "PT20S")
                .sendingThrough(exchangers.dnsAddress(), exchangers.port());
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (app != null) {
            app.close();
        }
        exchangers.close();
        CarteiroProcess.keepLogs(folder, getClass().getSimpleName());
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void databasePortShouldRefuseEveryoneWithoutTheGeneratedPassword() {
        String url = "jdbc:mariadb://127.0.0.1:" + databasePort + "/carteiro";
        for (String[] login : new String[][] {{"root", ""}, {"carteiro", ""}, {"carteiro", "carteiro"},
                {"anyone", "wrong"}}) {
            SQLException refused = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(url, login[0], login[1]).close(), login[0] + " signed in");
            assertEquals("28000", refused.getSQLState(), refused.getMessage());
        }
    }

    @Test
    @Order(2)
    void databaseShouldListenOnLoopbackOnlyWithItsPasswordFileClosedToOthers() throws Exception {
        Path data = folder.resolve("carteiro-data");
        long pid = Long.parseLong(Files.readString(data.resolve("mariadb/carteiro-mariadbd.pid")).trim());

        List<InetSocketAddress> listening = ListeningSockets.of(pid);

        assertFalse(listening.isEmpty());
        assertTrue(listening.stream().allMatch(a -> a.getAddress().isLoopbackAddress()), listening.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("mariadb-password"))));
    }

    @Test
    @Order(3)
    void listShouldSurviveAKilledCarteiroUnderTheTemporaryDirectory() throws Exception {
        assertTrue(app.log().contains("is under the temporary directory"), "the start warned about the folder");
        long list = Newsletter.list(app, "Kept across kill -9");

        app.kill();  // SIGKILL: the embedded mariadbd is orphaned, no shutdown hook runs
        app = launch("second").start();

        assertEquals("Kept across kill -9", app.api().get("/api/lists/" + list).then().statusCode(200)
                .extract().jsonPath().getString("name"));
        assertFalse(app.log().contains("Created the first admin"), "the database was not created again");
    }

    @Test
    @Order(4)
    void sigtermInTheMiddleOfACampaignAndAnImportShouldStopCleanly() throws Exception {
        long list = Newsletter.list(app, "Sent while stopping");
        Newsletter.importSubscribers(app, list, exchangers.addresses("stop", 400));
        long campaign = Newsletter.campaign(app, list, null);
        CarteiroProcess.awaitTrue(Duration.ofMinutes(3), () -> exchangers.received() >= 50,
                "the campaign was sending");
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append("bulk").append(i).append("@import.ops.test\n");
        }
        bulkImport = app.api().contentType("text/csv").body(csv.toString()).queryParam("legalBasis", "consent")
                .post("/api/lists/" + Newsletter.list(app, "Imported while stopping") + "/imports")
                .then().statusCode(202).extract().jsonPath().getLong("id");
        stoppedCampaign = campaign;
        long databasePid = Long.parseLong(Files.readString(
                folder.resolve("carteiro-data/mariadb/carteiro-mariadbd.pid")).trim());
        String running = Newsletter.campaignState(app, campaign).getString("status");

        app.stop(Duration.ofSeconds(90));

        String log = app.log();
        assertEquals("running", running);
        assertFalse(ERROR_LINE.matcher(log).find(), "no ERROR in the log:\n" + log);
        assertFalse(log.contains("\tat "), "no stack trace in the log:\n" + log);
        assertTrue(ProcessHandle.of(databasePid).isEmpty(), "the embedded MariaDB stopped with Carteiro");
        List<String> serverLog = Files.readAllLines(folder.resolve("carteiro-data/mariadb.log"));
        assertTrue(serverLog.get(serverLog.size() - 1).endsWith("Shutdown complete"),
                "the database shut down cleanly: " + serverLog.get(serverLog.size() - 1));
        assertFalse(log.contains("Connection is closed"), "no work used the database as it stopped (the delivery"
                + " engine's sender threads are interrupted mid-transaction until its graceful stop, issue 13.8):\n"
                + log);
    }

    @Test
    @Order(5)
    void importAndCampaignStoppedBySigtermShouldFinishAfterTheNextStart() throws Exception {
        app = launch("third").start();

        CarteiroProcess.awaitTrue(Duration.ofMinutes(5), () -> "finished".equals(
                Newsletter.campaignState(app, stoppedCampaign).getString("status")), "the campaign finished");
        CarteiroProcess.awaitTrue(Duration.ofMinutes(5), () -> "done".equals(app.api().get("/api/imports/"
                + bulkImport).then().extract().jsonPath().getString("state")), "the import was done");

        assertEquals(20_000, app.api().get("/api/imports/" + bulkImport).then().extract().jsonPath()
                .getInt("rowsAdded"), "every row of the stopped import was added once");
        Map<String, Integer> deliveries = exchangers.deliveries();
        assertEquals(400, deliveries.keySet().stream().filter(a -> a.startsWith("stop")).count(),
                "every recipient got the campaign");
    }
}
