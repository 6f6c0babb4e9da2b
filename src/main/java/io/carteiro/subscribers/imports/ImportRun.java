package io.carteiro.subscribers.imports;

import io.carteiro.web.LogSafe;
import io.agroal.api.AgroalDataSource;
import io.carteiro.ops.DatabaseOutage;
import io.carteiro.subscribers.EmailAddress;
import io.carteiro.subscribers.SubscriberName;
import io.carteiro.text.CsvCells;
import io.carteiro.subscribers.SubscriberBatches;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker's pass over one claimed job. The file is read twice, both times streaming: first only to check its
 * structure (quoting, row length), so a broken file fails before anything is written; then row by row, validating
 * each and writing batches, each batch in its own transaction together with the job's counters. A job taken over
 * after a crash resumes after the last committed row.
 */
final class ImportRun {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ImportRun.class);

    /** Thrown inside a batch transaction when another worker has taken the job, to roll the batch back. */
    static final class LeaseLostException extends RuntimeException {
        LeaseLostException() {
            super("lease lost", null, false, false);
        }
    }

    /**
     * Thrown inside a batch transaction to roll it back and write the batch again once every earlier batch has
     * ended: it failed while an earlier batch was still being written (which may have been the cause, e.g. a
     * deadlock), or it waited too long for the earlier batch, which its own locks may be holding up.
     */
    static final class WriteAgainAlone extends RuntimeException {
        WriteAgainAlone(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /** Thrown inside a batch transaction to roll it back because an earlier batch failed. */
    static final class EarlierBatchFailed extends RuntimeException {
        EarlierBatchFailed(Throwable cause) {
            super("an earlier batch failed", cause, false, false);
        }
    }

    /**
     * How long a written batch waits for the batch before it to commit, holding its locks, before it rolls back
     * and writes again after it: longer than a batch normally takes, short enough that a lock conflict between the
     * two costs one stall rather than the server's lock-wait timeout.
     */
    static final Duration TURN_TIMEOUT = Duration.ofSeconds(1);

    /** A reason to stop the job as failed, with the message the admin sees. */
    /** The worker is stopping (Carteiro shuts down): end at the next batch, leaving the job to be resumed. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("the import worker is stopping", null, false, false);
        }
    }

    /** How a run ended. */
    enum End {
        /** Done or failed, recorded on the job. */
        FINISHED,
        /** Another worker holds the job now. */
        TAKEN_OVER,
        /** Stopped between batches; the job's lease is released so that the next worker resumes it at once. */
        STOPPED,
        /**
         * The database went away mid-job: nothing could be recorded, so the job keeps its lease and is resumed from
         * its last checkpoint once the lease lapses (a lost connection is no reason to fail an import).
         */
        INTERRUPTED
    }

    static final class JobFailure extends Exception {
        JobFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** RFC 5321 §4.5.3.1.3: a path holds at most 256 octets, so an address at most 254. */
    static final int MAX_ADDRESS = 254;

    private final ImportJob job;
    private final String owner;
    private final ImportConfig config;
    private final ImportJobs jobs;
    private final SubscriberBatches writer;
    private final AgroalDataSource dataSource;
    private final Clock clock;

    private final SeenAddresses seen = new SeenAddresses();
    private List<SubscriberBatches.Row> batch = new ArrayList<>();
    private List<RowError> errors = new ArrayList<>();
    /**
     * Batches are written on their own threads, each on its own connection, so the next batch is read and checked
     * while up to {@link #writers} are stored; each commits only after the one before it (its checkpoint says so).
     */
    private final ExecutorService batchWriters;
    /** False once the worker is asked to stop. */
    private final java.util.function.BooleanSupplier keepGoing;
    private final int writers;
    /** Batches handed to the writer threads and not yet awaited, oldest first. */
    private final ArrayDeque<Future<ImportJob.Progress>> inFlight = new ArrayDeque<>();
    /** Batches rolled back and written again alone (see {@link WriteAgainAlone}); logged at the end. */
    private final AtomicInteger writtenAgain = new AtomicInteger();
    /** Whether batch transactions run at READ COMMITTED (when more than one writer may run at once). */
    private boolean readCommitted;
    /** The subscriber-insert turn of the next batch handed to a writer. */
    private InsertTurn nextTurn = InsertTurn.first();
    /** The counters committed with the last batch this (reading) thread has seen end. */
    private ImportJob.Progress progress;
    private ColumnMapping.Columns columns;
    private SubscriberBatches.Target target;
    private boolean utf8;
    private long lastRow;

    ImportRun(ImportJob job, String owner, ImportConfig config, ImportJobs jobs, SubscriberBatches writer,
              AgroalDataSource dataSource, Clock clock, java.util.function.BooleanSupplier keepGoing) {
        this.keepGoing = keepGoing;
        this.job = job;
        this.owner = owner;
        this.config = config;
        this.jobs = jobs;
        this.writer = writer;
        this.dataSource = dataSource;
        this.clock = clock;
        this.progress = job.progress();
        this.writers = Math.max(1, config.writers());
        this.batchWriters = Executors.newFixedThreadPool(writers, r -> {
            Thread t = new Thread(r, "carteiro-import-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs the job to its end, until another worker takes it over, or until the worker stops. */
    End run() throws SQLException {
        try {
            try {
                importFile();
                awaitAllBatches();
            } finally {
                drainQuietly();
                if (writtenAgain.get() > 0) {
                    LOG.infof("Import #%d: %d batches were rolled back and written again after the one before"
                            + " them", job.id(), writtenAgain.get());
                }
            }
            finish("done", null);
        } catch (Stopped stopped) {
            jobs.release(job.id(), owner, clock.instant());
            LOG.infof("Import #%d stopped after row %d; it resumes from there at the next start", job.id(),
                    progress.rowsRead());
            return End.STOPPED;
        } catch (JobFailure failure) {
            finish("failed", failure.getMessage());
        } catch (IOException | UncheckedIOException e) {
            finish("failed", "could not read the uploaded file: " + e.getMessage());
        } catch (SQLException | RuntimeException e) {
            if (leaseLost(e)) {
                return End.TAKEN_OVER;
            }
            if (DatabaseOutage.isConnectionFailure(e)) {
                DatabaseOutage.failed("import #" + job.id(), e);
                return End.INTERRUPTED;
            }
            LOG.warnf(e, "Import #%d failed on a database error", job.id());
            finish("failed", "database error after row " + progress.rowsRead() + " (rows up to there are stored): "
                    + e.getMessage());
        }
        return End.FINISHED;
    }

    private static boolean leaseLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LeaseLostException) {
                return true;
            }
        }
        return false;
    }

    private void importFile() throws IOException, JobFailure, SQLException {
        Path path = Path.of(job.filePath());
        if (!Files.isRegularFile(path)) {
            throw new JobFailure("the uploaded file " + job.fileName() + " is no longer on disk");
        }
        Charset charset = Charset.forName(job.charset());
        utf8 = StandardCharsets.UTF_8.equals(charset);
        Optional<String> headerLine = CsvFile.firstLine(path, charset);
        if (headerLine.isEmpty()) {
            throw new JobFailure("file is empty");
        }
        char delimiter = job.delimiter() != null ? job.delimiter() : CsvFile.detectDelimiter(headerLine.get());
        ColumnMapping.Result<ColumnMapping> mapping = ColumnMapping.parse(job.mapping());
        if (mapping.failed()) {
            throw new JobFailure(mapping.error());
        }
        ImportJobs.ListInfo list = jobs.list(job.listId() == null ? -1 : job.listId())
                .orElseThrow(() -> new JobFailure("the list of this import has been deleted"));
        target = new SubscriberBatches.Target(job.id(), list.id(), list.name(), list.consentTextId(), job.legalBasis(),
                job.createdBy());
        checkStructure(path, charset, delimiter);
        if (writers > 1) {
            try (Connection c = dataSource.getConnection()) {
                readCommitted = writer.readCommittedWrites(c);
            }
        }
        try (CsvFile file = CsvFile.open(path, charset, delimiter, config.maxRecordChars())) {
            Iterator<CSVRecord> records = file.parser().iterator();
            CSVRecord header = records.next();
            ColumnMapping.Result<ColumnMapping.Columns> resolved = mapping.value().resolve(header.toList());
            if (resolved.failed()) {
                throw new JobFailure(resolved.error());
            }
            columns = resolved.value();
            long resumeAfter = progress.rowsRead();
            lastRow = resumeAfter;
            while (true) {
                file.startRecord();
                if (!records.hasNext()) {
                    break;
                }
                CSVRecord record = records.next();
                long row = record.getRecordNumber() - 1;
                lastRow = Math.max(lastRow, row);
                if (row <= resumeAfter) {
                    remember(record, row);
                    continue;
                }
                Object checked = check(record, row);
                if (checked instanceof SubscriberBatches.Row parsed) {
                    batch.add(parsed);
                } else {
                    errors.add((RowError) checked);
                }
                if (batch.size() + errors.size() >= config.batchSize()) {
                    flush(file.bytesRead());
                    if (!keepGoing.getAsBoolean()) {
                        throw new Stopped();
                    }
                }
            }
            flush(job.bytesTotal());
        }
    }

    /** Reads the whole file once without writing, so broken quoting fails the job before any row is stored. */
    private void checkStructure(Path path, Charset charset, char delimiter) throws IOException, JobFailure {
        try (CsvFile file = CsvFile.open(path, charset, delimiter, config.maxRecordChars())) {
            Iterator<CSVRecord> records = file.parser().iterator();
            long line = 1;
            long row = -1;
            try {
                while (true) {
                    file.startRecord();
                    line = file.parser().getCurrentLineNumber() + 1;
                    if (!records.hasNext()) {
                        return;
                    }
                    row = records.next().getRecordNumber() - 1;
                }
            } catch (UncheckedIOException | IllegalStateException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                String what = cause instanceof CsvFile.RecordTooLongException ? cause.getMessage()
                        : "broken quoting (" + cause.getMessage() + ")";
                throw new JobFailure("line " + line + (row < 0 ? " (the header)" : " (data row " + (row + 1) + ")") + ": "
                        + what + "; nothing was imported, fix the file and upload it again");
            }
        }
    }

    /** Validates one row: the row ready to write, or the first problem found in it. */
    private Object check(CSVRecord record, long row) {
        List<String> header = columns.header();
        if (record.size() != header.size()) {
            return new RowError(row, null, "row has " + record.size() + " fields but the header has "
                    + header.size());
        }
        if (utf8) {
            for (int i = 0; i < record.size(); i++) {
                if (record.get(i).indexOf(CsvFile.REPLACEMENT) >= 0) {
                    return new RowError(row, header.get(i), "bytes that are not valid UTF-8 in column '"
                            + header.get(i) + "'; if the file is Latin-1, upload it with charset=ISO-8859-1");
                }
            }
        }
        String emailColumn = header.get(columns.email());
        String email = cell(record, columns.email());
        if (email.length() > MAX_ADDRESS) {
            return new RowError(row, emailColumn, "field too long: the address has " + email.length()
                    + " characters (at most " + MAX_ADDRESS + ")");
        }
        EmailAddress.Parsed parsedAddress = EmailAddress.parse(email);
        if (parsedAddress instanceof EmailAddress.Invalid invalid) {
            return new RowError(row, emailColumn, "invalid address: " + invalid.reason());
        }
        EmailAddress address = ((EmailAddress.Valid) parsedAddress).address();
        String name = null;
        if (columns.name() >= 0) {
            name = cell(record, columns.name());
            SubscriberName.Checked checked = SubscriberName.check(name);
            if (checked instanceof SubscriberName.Invalid invalid) {
                return new RowError(row, header.get(columns.name()), invalid.problem()
                        == SubscriberName.Problem.TOO_LONG ? "field too long: the name has " + name.length()
                        + " characters (at most " + SubscriberName.MAX_LENGTH + ")" : invalid.reason());
            }
            name = ((SubscriberName.Valid) checked).name().orElse(null);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (ColumnMapping.Attribute attribute : columns.attributes()) {
            String value = cell(record, attribute.index());
            if (value.length() > config.maxAttributeChars()) {
                return new RowError(row, attribute.key(), "field too long: " + value.length()
                        + " characters (at most " + config.maxAttributeChars() + ")");
            }
            if (!value.isEmpty()) {
                attributes.put(attribute.key(), value);
            }
        }
        String attributesJson = writer.attributesJson(attributes);
        Optional<String> tooMuch = writer.attributesProblem(attributes, attributesJson);
        if (tooMuch.isPresent()) {
            return new RowError(row, null, tooMuch.get());
        }
        String key = address.key();
        long first = seen.firstRowOf(key, row);
        if (first > 0) {
            return new RowError(row, emailColumn, "duplicate address: " + address.value() + " is already on line "
                    + (first + 1) + " (the header is line 1)");
        }
        return new SubscriberBatches.Row(row, address, key, name, attributes, attributesJson);
    }

    /** A field's value: stripped, and with the apostrophe of a neutralised formula cell (our own exports) removed. */
    private static String cell(CSVRecord record, int index) {
        return CsvCells.restore(record.get(index)).strip();
    }

    /** For rows committed before a takeover: only note the address, so later duplicates are still found. */
    private void remember(CSVRecord record, long row) {
        if (record.size() == columns.header().size()
                && EmailAddress.parse(cell(record, columns.email())) instanceof EmailAddress.Valid valid) {
            seen.firstRowOf(valid.address().key(), row);
        }
    }

    /** Hands the current batch to a writer thread, once fewer than {@link #writers} batches are in flight. */
    private void flush(long bytesRead) throws SQLException {
        if (batch.isEmpty() && errors.isEmpty()) {
            return;
        }
        int parallel = readCommitted ? writers : 1;
        while (inFlight.size() >= parallel) {
            awaitOldestBatch();
        }
        Batch next = new Batch(batch, errors, lastRow, bytesRead);
        batch = new ArrayList<>(config.batchSize());
        errors = new ArrayList<>();
        Future<ImportJob.Progress> previous = inFlight.peekLast();
        ImportJob.Progress committed = progress;
        InsertTurn turn = nextTurn;
        nextTurn = turn.next();
        inFlight.add(batchWriters.submit(() -> store(next, previous, committed, turn)));
    }

    /** Rows of the file handed to a writer together: valid ones, failed ones, up to which row, up to which byte. */
    private record Batch(List<SubscriberBatches.Row> rows, List<RowError> rowErrors, long upTo, long bytesRead) {
    }

    private void awaitAllBatches() throws SQLException {
        while (!inFlight.isEmpty()) {
            awaitOldestBatch();
        }
    }

    /** Waits for the oldest batch in flight; its failure becomes this thread's. */
    private void awaitOldestBatch() throws SQLException {
        Future<ImportJob.Progress> oldest = inFlight.poll();
        try {
            progress = oldest.get();
        } catch (InterruptedException e) {
            // only a stopping worker is interrupted (when its batches did not end in time)
            Thread.currentThread().interrupt();
            throw new Stopped();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** After a failure: let the batches in flight end (committed or rolled back) before the job is marked. */
    private void drainQuietly() {
        while (!inFlight.isEmpty()) {
            try {
                awaitOldestBatch();
            } catch (SQLException | RuntimeException ignored) {
                // The failure that matters is the one already being reported.
            }
        }
        batchWriters.shutdown();
    }

    /**
     * Stores one batch on a writer thread and returns the counters committed with it. {@code previous} is the
     * batch before it still in flight (null if none), {@code committed} the counters before it when there is none.
     */
    private ImportJob.Progress store(Batch batch, Future<ImportJob.Progress> previous, ImportJob.Progress committed,
                                     InsertTurn turn) throws SQLException {
        try {
            try {
                return attempt(batch, previous, committed, true, turn);
            } catch (RuntimeException e) {
                WriteAgainAlone again = causeOf(e, WriteAgainAlone.class);
                if (again == null) {
                    throw e;
                }
                writtenAgain.incrementAndGet();
                LOG.debugf("Import #%d: batch up to row %d written again alone: %s (%s)", job.id(), batch.upTo(),
                        LogSafe.quote(again.getMessage()), LogSafe.quote(again.getCause()));
            }
            return attempt(batch, null, previous == null ? committed : outcomeOf(previous), false, turn);
        } finally {
            turn.pass(); // a batch that inserted nothing (or failed) must not hold up the next one
        }
    }

    /**
     * One batch in one transaction, with the job's counters and lease: the rows are written at once, the error
     * rows and checkpoint only after the batch before it has committed, so checkpoints follow the file.
     */
    private ImportJob.Progress attempt(Batch batch, Future<ImportJob.Progress> previous,
                                       ImportJob.Progress committed, boolean firstTry, InsertTurn turn) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                if (readCommitted) {
                    SubscriberBatches.readCommitted(c);
                }
                SubscriberBatches.Outcome outcome;
                try {
                    outcome = job.mode() == ImportMode.SUBSCRIBE
                            ? writer.subscribe(c, target, batch.rows(), now, turn)
                            : writer.blocklist(c, target, batch.rows(), now);
                } catch (SQLException e) {
                    if (firstTry && ((previous != null && !previous.isDone()) || lockConflict(e))) {
                        throw new WriteAgainAlone("batch failed beside an earlier one or on a lock conflict", e);
                    }
                    throw e;
                }
                ImportJob.Progress before = previous == null ? committed : turnAfter(previous);
                List<RowError> all = new ArrayList<>(batch.rowErrors());
                outcome.notes().forEach(note -> all.add(new RowError(note.row(), null, note.reason())));
                all.sort((a, b) -> Long.compare(a.row(), b.row()));
                long stored = Math.min(before.errorsTotal(), config.maxStoredErrors());
                int room = (int) Math.max(0, config.maxStoredErrors() - stored);
                jobs.insertErrors(c, job.id(), all.subList(0, Math.min(room, all.size())));
                ImportJob.Progress p = new ImportJob.Progress(batch.upTo(),
                        before.rowsAdded() + outcome.added(),
                        before.rowsUpdated() + outcome.updated(),
                        before.rowsSkipped() + outcome.skipped(),
                        before.rowsFailed() + batch.rowErrors().size(),
                        Math.min(batch.bytesRead(), job.bytesTotal()),
                        before.errorsTotal() + all.size());
                if (!jobs.checkpoint(c, job.id(), owner, p, now.plus(config.lease()))) {
                    throw new LeaseLostException();
                }
                return p;
            }
        });
    }

    /** The counters the earlier batch committed, waiting at most {@link #TURN_TIMEOUT} for it. */
    private static ImportJob.Progress turnAfter(Future<ImportJob.Progress> previous) {
        try {
            return previous.get(TURN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new WriteAgainAlone("the earlier batch took longer than " + TURN_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an earlier batch", e);
        } catch (ExecutionException e) {
            throw new EarlierBatchFailed(e.getCause());
        }
    }

    /** The counters the earlier batch committed, once it has ended. */
    private static ImportJob.Progress outcomeOf(Future<ImportJob.Progress> previous) {
        try {
            return previous.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an earlier batch", e);
        } catch (ExecutionException e) {
            throw new EarlierBatchFailed(e.getCause());
        }
    }

    /** A deadlock (1213) or lock-wait timeout (1205): the transaction lost a lock conflict and can be run again. */
    private static boolean lockConflict(SQLException e) {
        return "40001".equals(e.getSQLState()) || e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private void finish(String state, String error) throws SQLException {
        ImportJob.Progress p = "done".equals(state)
                ? new ImportJob.Progress(progress.rowsRead(), progress.rowsAdded(), progress.rowsUpdated(),
                progress.rowsSkipped(), progress.rowsFailed(), job.bytesTotal(), progress.errorsTotal())
                : progress;
        if (jobs.finish(job.id(), owner, state, error, p, clock.instant())) {
            try {
                Files.deleteIfExists(Path.of(job.filePath()));
            } catch (IOException ignored) {
                // A file left behind is harmless; the job no longer refers to it.
            }
        }
    }
}
