package io.carteiro.subscribers.imports;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Accepts uploads: checks the parameters and the header row, keeps the file on disk and queues a job for the
 * worker. The upload itself is streamed to disk outside any transaction (it may take minutes); only the job row is
 * written in one.
 */
@ApplicationScoped
class ImportService {

    static final int MAX_LEGAL_BASIS = 200;

    @Inject
    ImportConfig config;

    @Inject
    ImportJobs jobs;

    @Inject
    ImportWorker worker;

    @Inject
    Clock clock;

    /** The answer to an upload. */
    sealed interface Acceptance permits Accepted, Rejected, ListNotFound {
    }

    record Accepted(ImportJob job) implements Acceptance {
    }

    record Rejected(String error) implements Acceptance {
    }

    record ListNotFound(long listId) implements Acceptance {
    }

    private record Settings(ImportMode mode, String legalBasis, Character delimiter, Charset charset,
                            ColumnMapping mapping) {
    }

    /** Streams {@code body} to a new file and queues it. */
    Acceptance accept(ImportRequest request, InputStream body) throws IOException, SQLException {
        Optional<Acceptance> refused = refuse(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        Path file = newFile();
        try {
            Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return queue(request, file);
    }

    /** Moves an already stored upload (a multipart part on disk) into the import directory and queues it. */
    Acceptance accept(ImportRequest request, Path uploaded) throws IOException, SQLException {
        Optional<Acceptance> refused = refuse(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        Path file = newFile();
        Files.move(uploaded, file, StandardCopyOption.REPLACE_EXISTING);
        return queue(request, file);
    }

    Optional<ImportJob> find(long id) throws SQLException {
        return jobs.find(id);
    }

    List<ImportJob> recent(int limit) throws SQLException {
        return jobs.recent(limit);
    }

    List<RowError> errors(long id, int limit) throws SQLException {
        return jobs.errors(id, Math.min(limit, config.maxStoredErrors()));
    }

    int maxStoredErrors() {
        return config.maxStoredErrors();
    }

    Optional<ImportJobs.ListInfo> list(long listId) throws SQLException {
        return jobs.list(listId);
    }

    private Optional<Acceptance> refuse(ImportRequest request) throws SQLException {
        if (jobs.list(request.listId()).isEmpty()) {
            return Optional.of(new ListNotFound(request.listId()));
        }
        ColumnMapping.Result<Settings> settings = settings(request);
        return settings.failed() ? Optional.of(new Rejected(settings.error())) : Optional.empty();
    }

    private Acceptance queue(ImportRequest request, Path file) throws IOException, SQLException {
        Settings settings = settings(request).value();
        long size = Files.size(file);
        Optional<String> headerProblem = checkHeader(file, settings);
        if (headerProblem.isPresent()) {
            Files.deleteIfExists(file);
            return new Rejected(headerProblem.get());
        }
        long id = QuarkusTransaction.requiringNew().call(() -> jobs.create(request.listId(), settings.mode(),
                fileName(request.fileName()), file.toString(), settings.charset().name(), settings.delimiter(),
                blankToNull(request.mapping()), settings.legalBasis(), size, request.createdBy(), clock.instant()));
        worker.wakeUp();
        return new Accepted(jobs.find(id).orElseThrow());
    }

    /** The checked settings, or the reason they cannot be used. */
    private ColumnMapping.Result<Settings> settings(ImportRequest request) {
        Optional<ImportMode> mode = ImportMode.parse(request.mode());
        if (mode.isEmpty()) {
            return ColumnMapping.Result.error("mode '" + request.mode() + "' is unknown (use subscribe or blocklist)");
        }
        String legalBasis = blankToNull(request.legalBasis());
        if (mode.get() == ImportMode.SUBSCRIBE && legalBasis == null) {
            return ColumnMapping.Result.error("legalBasis is required to subscribe imported addresses: state the legal basis of the consent,"
                    + " e.g. legalBasis=consent collected at the 2026 conference");
        }
        if (legalBasis != null && legalBasis.length() > MAX_LEGAL_BASIS) {
            return ColumnMapping.Result.error("legalBasis is longer than " + MAX_LEGAL_BASIS + " characters");
        }
        Character delimiter = null;
        String d = request.delimiter();
        if (d != null && !d.isEmpty()) {
            if (d.equalsIgnoreCase("tab") || d.equals("\\t")) {
                d = "\t";
            }
            if (d.length() != 1 || CsvFile.CANDIDATE_DELIMITERS.indexOf(d.charAt(0)) < 0) {
                return ColumnMapping.Result.error("delimiter '" + request.delimiter() + "' is not supported (use , ; | or tab)");
            }
            delimiter = d.charAt(0);
        }
        Charset charset;
        String cs = request.charset() == null ? "" : request.charset().strip().toUpperCase(Locale.ROOT);
        switch (cs) {
            case "", "UTF-8", "UTF8" -> charset = StandardCharsets.UTF_8;
            case "ISO-8859-1", "LATIN-1", "LATIN1" -> charset = StandardCharsets.ISO_8859_1;
            default -> {
                return ColumnMapping.Result.error("charset '" + request.charset() + "' is not supported (use UTF-8 or ISO-8859-1)");
            }
        }
        ColumnMapping.Result<ColumnMapping> mapping = ColumnMapping.parse(request.mapping());
        if (mapping.failed()) {
            return ColumnMapping.Result.error(mapping.error());
        }
        return ColumnMapping.Result.ok(new Settings(mode.get(), legalBasis, delimiter, charset, mapping.value()));
    }

    /** The header must name the mapped columns; an empty file is left for the job to report. */
    private Optional<String> checkHeader(Path file, Settings settings) throws IOException {
        Optional<String> line = CsvFile.firstLine(file, settings.charset());
        if (line.isEmpty()) {
            return Optional.empty();
        }
        // A picture or a spreadsheet uploaded by mistake: say so, rather than echo its bytes as a "header".
        if (line.get().chars().anyMatch(ch -> ch == '\uFFFD' || (ch < 0x20 && ch != '\t'))) {
            return Optional.of("the file does not start with a line of column names: it holds bytes that are not"
                    + " text in " + settings.charset().name() + " (is it a CSV file? a spreadsheet must be saved as"
                    + " CSV first)");
        }
        char delimiter = settings.delimiter() != null ? settings.delimiter() : CsvFile.detectDelimiter(line.get());
        try (CsvFile csv = CsvFile.open(file, settings.charset(), delimiter, config.maxRecordChars())) {
            Iterator<CSVRecord> records = csv.parser().iterator();
            CSVRecord header = records.next();
            ColumnMapping.Result<ColumnMapping.Columns> columns = settings.mapping().resolve(header.toList());
            return columns.failed() ? Optional.of(columns.error()) : Optional.empty();
        } catch (UncheckedIOException | IllegalStateException e) {
            return Optional.of("the header row cannot be read: " + e.getMessage());
        }
    }

    private Path newFile() throws IOException {
        Files.createDirectories(config.dir());
        return config.dir().resolve("import-" + UUID.randomUUID() + ".csv").toAbsolutePath();
    }

    private static String fileName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        return base.length() > 255 ? base.substring(0, 255) : base;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
