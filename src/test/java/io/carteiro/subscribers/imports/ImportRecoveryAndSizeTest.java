package io.carteiro.subscribers.imports;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.BufferedWriter;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static io.carteiro.subscribers.imports.ImportApiTest.assertError;
import static io.carteiro.subscribers.imports.ImportFixtures.api;
import static io.carteiro.subscribers.imports.ImportFixtures.awaitEnd;
import static io.carteiro.subscribers.imports.ImportFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ImportRecoveryAndSizeTest {

    @Inject
    AgroalDataSource db;

    @ConfigProperty(name = "carteiro.imports.dir")
    Path importDir;

    @Test
    void aJobWhoseWorkerDiedIsTakenOverAndResumesAfterTheLastCommittedRow() throws Exception {
        ImportFixtures fx = new ImportFixtures(db);
        String tag = unique();
        long list = fx.newList("takeover " + tag);
        Files.createDirectories(importDir);
        Path file = importDir.resolve("takeover-" + tag + ".csv").toAbsolutePath();
        String a = "a." + tag + "@example.org";
        Files.writeString(file, "email\n" + a + "\nb." + tag + "@example.org\nc." + tag + "@example.org\n"
                + "d." + tag + "@example.org\n" + a.toUpperCase() + "\n");
        // As a worker that committed rows 1-2 and then died would have left it: running, lease run out.
        fx.execute("INSERT INTO import_job (list_id, mode, state, file_name, file_path, legal_basis, bytes_total,"
                + " rows_read, rows_added, lease_owner, lease_until, started_at) VALUES (?, 'subscribe', 'running',"
                + " 'takeover.csv', ?, 'fair', ?, 2, 2, 'dead-worker', NOW(6) - INTERVAL 1 MINUTE, NOW(6))",
                list, file.toString(), Files.size(file));
        long id = fx.count("SELECT MAX(id) FROM import_job WHERE list_id = ?", list);

        JsonPath job = awaitEnd(id);
        assertEquals("done", job.getString("state"), job.prettify());
        assertEquals(5, job.getInt("rowsRead"));
        assertEquals(4, job.getInt("rowsAdded"));
        assertEquals(1, job.getInt("rowsFailed"));
        assertError(job.getList("errors").get(0), 5, "email", "already on line 2");
        assertEquals(List.of("c." + tag + "@example.org", "d." + tag + "@example.org"), fx.strings(
                "SELECT s.email FROM subscription sub JOIN subscriber s ON s.id = sub.subscriber_id"
                        + " WHERE sub.list_id = ? ORDER BY s.email", list));
        assertFalse(Files.exists(file), "the uploaded file is removed once the job has run");
    }

    @Test
    void aHundredMegabyteFileIsStreamedAndCountedRight() throws Exception {
        ImportFixtures fx = new ImportFixtures(db);
        String tag = unique();
        long list = fx.newList("hundred megabytes " + tag);
        File big = new File("target/import-100mb-" + tag + ".csv");
        String notes = "x".repeat(560);
        long rows = 0;
        long bad = 0;
        try (BufferedWriter out = Files.newBufferedWriter(big.toPath(), StandardCharsets.UTF_8)) {
            out.write("email,name,notes,plan\n");
            while (big.length() + 0 < 100L * 1024 * 1024 && rows < 1_000_000) {
                rows++;
                if (rows % 10_000 == 0) {
                    out.write("not-an-address-" + rows + ",Bad," + notes + ",gold\n");
                    bad++;
                } else {
                    out.write("big" + rows + "." + tag + "@example.org,Person " + rows + "," + notes + ",gold\n");
                }
                if (rows % 1000 == 0) {
                    out.flush();
                }
            }
        }
        long size = big.length();
        assertTrue(size >= 100L * 1024 * 1024, "file is " + size + " bytes");

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        long started = System.nanoTime();
        long id = api().contentType("text/csv").body(big).queryParam("legalBasis", "bulk test")
                .post("/api/lists/" + list + "/imports").then().statusCode(202).extract().jsonPath().getLong("id");
        long peakHeap = 0;
        JsonPath job = null;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        Instant nextSample = Instant.now();
        while (Instant.now().isBefore(deadline)) {
            if (Instant.now().isAfter(nextSample)) {
                // Heap in use just after a collection: what the app holds live, not garbage not yet collected.
                System.gc();
                peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
                nextSample = Instant.now().plusSeconds(2);
            }
            job = api().get("/api/imports/" + id).then().extract().jsonPath();
            if (List.of("done", "failed").contains(job.getString("state"))) {
                break;
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos()); // poll interval
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("100 MB import: %d bytes, %d rows in %.1f s (%.0f rows/s), live heap %d MB before,"
                + " peak %d MB during%n", size, rows, seconds, rows / seconds, baseline / (1024 * 1024),
                peakHeap / (1024 * 1024));
        assertEquals("done", job.getString("state"), job.getString("error"));
        assertEquals(rows, job.getLong("rowsRead"));
        assertEquals(rows - bad, job.getLong("rowsAdded"));
        assertEquals(bad, job.getLong("rowsFailed"));
        assertEquals(size, job.getLong("bytesRead"));
        Map<String, Object> first = job.getList("errors", Map.class).get(0);
        assertEquals(10_000, ((Number) first.get("row")).intValue());
        assertEquals(rows - bad, fx.subscriptions(list));
        // Held in memory, the file alone would add 100 MB as bytes and twice that as strings.
        assertTrue(peakHeap - baseline < 100L * 1024 * 1024, "live heap grew from " + baseline + " to " + peakHeap);
        Files.deleteIfExists(big.toPath());
    }
}
