package io.carteiro.subscribers.imports;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.carteiro.subscribers.imports.ImportFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batches of ten rows written by two connections at once (the default is 2,000 rows, so the API tests see one
 * batch): rows are counted once, errors keep their rows, checkpoints are committed in file order, and a failing
 * batch takes none of the batches after it along.
 */
@QuarkusTest
class ImportSideBySideBatchesTest {

    private static final int BATCH = 10;

    @Inject
    AgroalDataSource db;

    @Inject
    ImportConfig config;

    @Inject
    ImportJobs jobs;

    @Inject
    io.carteiro.subscribers.SubscriberBatches writer;

    @ConfigProperty(name = "carteiro.imports.dir")
    Path importDir;

    @Test
    void rowsAreCountedOnceAndCheckpointsCommitInFileOrder() throws Exception {
        ImportFixtures fx = new ImportFixtures(db);
        String tag = unique();
        long list = fx.newList("side by side " + tag);
        StringBuilder csv = new StringBuilder("email,name\n");
        List<Long> expectedErrors = new ArrayList<>();
        int rows = 600;
        int known = 0;
        for (int row = 1; row <= rows; row++) {
            if (row % 50 == 0) {
                csv.append("not-an-address-").append(row).append(",Bad\n");
                expectedErrors.add((long) row);
            } else if (row % 97 == 0) {
                // The address of a row some batches earlier, possibly being written at this moment.
                csv.append(address(row - 13, tag)).append(",Again\n");
                expectedErrors.add((long) row);
            } else {
                if (row % 5 == 0) {
                    // Known already: takes the upsert path, whose key locks sit between the new addresses.
                    fx.execute("INSERT INTO subscriber (email, email_key, domain, name) VALUES (?, ?, 'example.org',"
                            + " 'Old')", address(row, tag), address(row, tag));
                    known++;
                }
                csv.append(address(row, tag)).append(",Person ").append(row).append('\n');
            }
        }
        assertTrue(known > 100);
        fx.execute("CREATE TABLE IF NOT EXISTS test_import_checkpoint (seq BIGINT NOT NULL AUTO_INCREMENT"
                + " PRIMARY KEY, job_id BIGINT NOT NULL, rows_read BIGINT NOT NULL)");
        String trigger = "test_import_checkpoint_" + tag;
        fx.execute("CREATE TRIGGER " + trigger + " AFTER UPDATE ON import_job FOR EACH ROW"
                + " INSERT INTO test_import_checkpoint (job_id, rows_read) VALUES (NEW.id, NEW.rows_read)");
        long id;
        try {
            id = runImport(fx, list, tag, csv.toString());
        } finally {
            fx.execute("DROP TRIGGER " + trigger);
        }

        ImportJob job = jobs.find(id).orElseThrow();
        long good = rows - expectedErrors.size();
        assertEquals("done", job.state(), job.error());
        assertEquals(rows, job.progress().rowsRead());
        assertEquals(good, job.progress().rowsAdded());
        assertEquals(expectedErrors.size(), job.progress().rowsFailed());
        assertEquals(expectedErrors, jobs.errors(id, 1000).stream().map(RowError::row).toList());
        assertEquals(good, fx.subscriptions(list));
        assertEquals(good, fx.consentEvents(list));
        assertEquals(good, fx.count("SELECT COUNT(*) FROM subscriber WHERE email_key LIKE ?", "%." + tag + "@%"));
        assertEquals(good, fx.count("SELECT COUNT(DISTINCT subscriber_id) FROM consent_event WHERE list_id = ?",
                list));
        assertEquals(0, fx.count("SELECT COUNT(*) FROM subscriber WHERE email_key LIKE ? AND name = 'Old'",
                "%." + tag + "@%"), "every known subscriber got the name from the file");

        // New subscribers get their ids in file order, though their batches were written side by side.
        List<Integer> newRowsById = fx.strings("SELECT email FROM subscriber WHERE email_key LIKE ? ORDER BY id",
                        "%." + tag + "@%").stream()
                .map(email -> Integer.parseInt(email.substring(1, email.indexOf('.'))))
                .filter(row -> row % 5 != 0).toList();
        assertEquals(newRowsById.stream().sorted().toList(), newRowsById);

        List<Long> checkpoints = fx.strings("SELECT rows_read FROM test_import_checkpoint WHERE job_id = ?"
                + " ORDER BY seq", id).stream().map(Long::parseLong).toList();
        // One checkpoint per batch, each committed after the one before it, then the finish.
        assertEquals(rows / BATCH + 1, checkpoints.size(), checkpoints.toString());
        for (int i = 0; i < rows / BATCH; i++) {
            assertEquals((i + 1L) * BATCH, checkpoints.get(i), "checkpoint " + i + " of " + checkpoints);
        }
    }

    @Test
    void aFailingBatchLeavesNothingOfItselfOrOfTheBatchesWrittenBesideIt() throws Exception {
        ImportFixtures fx = new ImportFixtures(db);
        String tag = unique();
        long list = fx.newList("failing batch " + tag);
        StringBuilder csv = new StringBuilder("email\n");
        for (int row = 1; row <= 300; row++) {
            csv.append(address(row, tag)).append('\n');
        }
        String trigger = "test_import_refuse_" + tag;
        fx.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON subscriber FOR EACH ROW"
                + " IF NEW.email_key = '" + address(205, tag) + "' THEN"
                + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'; END IF");
        long id;
        try {
            id = runImport(fx, list, tag, csv.toString());
        } finally {
            fx.execute("DROP TRIGGER " + trigger);
        }

        ImportJob job = jobs.find(id).orElseThrow();
        assertEquals("failed", job.state());
        assertTrue(job.error().contains("refused by the test"), job.error());
        assertEquals(200, job.progress().rowsRead(), "the checkpoint of the last batch before the failing one");
        assertEquals(200, job.progress().rowsAdded());
        assertEquals(200, fx.subscriptions(list), "no row of the failing batch or of a later one is stored");
        assertEquals(200, fx.consentEvents(list));
        assertEquals(200, fx.count("SELECT COUNT(*) FROM subscriber WHERE email_key LIKE ?", "%." + tag + "@%"));
    }

    private static String address(int row, String tag) {
        return "p" + row + "." + tag + "@example.org";
    }

    /** Runs the file as a job this test owns (running, leased), so the background worker leaves it alone. */
    private long runImport(ImportFixtures fx, long list, String tag, String csv) throws Exception {
        Files.createDirectories(importDir);
        Path file = importDir.resolve("side-by-side-" + tag + ".csv").toAbsolutePath();
        Files.writeString(file, csv);
        String owner = "side-by-side-test-" + tag;
        fx.execute("INSERT INTO import_job (list_id, mode, state, file_name, file_path, legal_basis, bytes_total,"
                + " lease_owner, lease_until, started_at) VALUES (?, 'subscribe', 'running', 'side-by-side.csv', ?,"
                + " 'fair', ?, ?, NOW(6) + INTERVAL 10 MINUTE, NOW(6))",
                list, file.toString(), Files.size(file), owner);
        long id = fx.count("SELECT MAX(id) FROM import_job WHERE list_id = ?", list);
        ImportJob job = jobs.find(id).orElseThrow();
        ImportRun.End end = new ImportRun(job, owner, new SmallBatches(config), jobs, writer, db, Clock.systemUTC(),
                () -> true).run();
        assertEquals(ImportRun.End.FINISHED, end);
        return id;
    }

    /** The configured settings with batches of {@value #BATCH} rows and two writers. */
    private record SmallBatches(ImportConfig defaults) implements ImportConfig {
        @Override
        public Path dir() {
            return defaults.dir();
        }

        @Override
        public int batchSize() {
            return BATCH;
        }

        @Override
        public int writers() {
            return 2;
        }

        @Override
        public int maxStoredErrors() {
            return defaults.maxStoredErrors();
        }

        @Override
        public int maxRecordChars() {
            return defaults.maxRecordChars();
        }

        @Override
        public int maxAttributeChars() {
            return defaults.maxAttributeChars();
        }

        @Override
        public Duration lease() {
            return defaults.lease();
        }

        @Override
        public int workers() {
            return defaults.workers();
        }

        @Override
        public Duration pollInterval() {
            return defaults.pollInterval();
        }
    }
}
