package io.carteiro.bounces;

import io.carteiro.subscribers.SuppressionKind;
import io.carteiro.subscribers.SuppressionReason;
import io.carteiro.subscribers.Suppressions;
import io.carteiro.text.CsvCells;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The suppression page's view of {@link Suppressions}: address and whole-domain entries (erasure hashes are not
 * shown), added by hand or from a CSV file, and the same entries written back as CSV. The entries themselves, their
 * validation and the table are {@code subscribers}'; this class only parses forms and files.
 */
@ApplicationScoped
class SuppressionList {

    static final int MAX_IMPORT_ROWS = 100_000;

    /** An entry to add, before validation: the form's or the CSV row's text. */
    record NewEntry(String kind, String value, String reason, String detail) {
    }

    /** The result of an import: how many were added, or why nothing was. */
    record ImportResult(int added, int alreadyPresent, List<String> errors) {
    }

    private final Suppressions suppressions;

    SuppressionList(Suppressions suppressions) {
        this.suppressions = suppressions;
    }

    List<Suppressions.Entry> list(String search, int limit) {
        return suppressions.search(search, limit);
    }

    /** Adds one entry (normalised); an invalid one is refused with {@link IllegalArgumentException} naming the field. */
    @Transactional
    Suppressions.Entry add(NewEntry entry) {
        return suppressions.store(validate(entry));
    }

    boolean remove(long id) {
        return suppressions.removeAddressOrDomain(id);
    }

    /**
     * Imports CSV rows {@code kind,value,reason,detail} (a header row is optional; kind may be empty and is then
     * guessed from the value). All rows or none: with any bad row nothing is stored and every error is reported.
     */
    @Transactional
    ImportResult importCsv(Reader csv) {
        List<Suppressions.NewEntry> valid = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        try (CSVParser parser = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(true).get().parse(csv)) {
            for (CSVRecord row : parser) {
                long line = parser.getCurrentLineNumber();
                if (row.getRecordNumber() == 1 && row.size() > 1 && row.get(0).equalsIgnoreCase("kind")
                        && row.get(1).equalsIgnoreCase("value")) {
                    continue;
                }
                if (valid.size() + errors.size() >= MAX_IMPORT_ROWS) {
                    errors.add("more than " + MAX_IMPORT_ROWS + " rows");
                    break;
                }
                String kind = row.size() > 0 ? CsvCells.restore(row.get(0)) : "";
                String value = row.size() > 1 ? CsvCells.restore(row.get(1)) : "";
                if (row.size() == 1) {
                    value = kind;
                    kind = "";
                }
                if (kind.isEmpty()) {
                    kind = value.contains("@") ? "address" : "domain";
                }
                String reason = row.size() > 2 && !row.get(2).isEmpty() ? row.get(2) : "import";
                String detail = row.size() > 3 ? CsvCells.restore(row.get(3)) : null;
                try {
                    valid.add(validate(new NewEntry(kind, value, reason, detail)));
                } catch (IllegalArgumentException e) {
                    errors.add("line " + line + ": " + e.getMessage());
                }
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            errors.add("not readable as CSV: " + e.getMessage());
        }
        if (!errors.isEmpty()) {
            return new ImportResult(0, 0, errors.size() > 100 ? errors.subList(0, 100) : errors);
        }
        int added = 0;
        for (Suppressions.NewEntry entry : valid) {
            added += suppressions.insert(entry) ? 1 : 0;
        }
        return new ImportResult(added, valid.size() - added, List.of());
    }

    /**
     * Writes every address and domain entry as CSV with a header row, the format {@link #importCsv} reads; values and
     * details (which can come from a remote server's bounce) are neutralised against formula injection.
     */
    @Transactional
    void exportCsv(Writer out) throws IOException {
        CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                .setHeader("kind", "value", "reason", "detail", "created_at").get());
        for (Suppressions.Entry e : list(null, 100_000)) {
            printer.printRecord(e.kind().value(), CsvCells.neutralise(e.value()), e.reason().value(),
                    CsvCells.neutralise(e.detail()), e.createdAt());
        }
        printer.flush();
    }

    /**
     * Only addresses and domains are entered here (erasure hashes come from erasure), with any reason but
     * erasure; an empty reason means manual.
     */
    private Suppressions.NewEntry validate(NewEntry entry) {
        String kindText = entry.kind() == null ? "" : entry.kind().strip();
        if (!kindText.equalsIgnoreCase(SuppressionKind.ADDRESS.value())
                && !kindText.equalsIgnoreCase(SuppressionKind.DOMAIN.value())) {
            throw new IllegalArgumentException("kind must be address or domain, not '" + entry.kind() + "'");
        }
        SuppressionKind kind = SuppressionKind.parse(kindText);
        SuppressionReason reason = entry.reason() == null || entry.reason().isBlank() ? SuppressionReason.MANUAL
                : SuppressionReason.parse(entry.reason());
        if (reason == SuppressionReason.ERASURE) {
            throw new IllegalArgumentException("reason erasure is given by erasing a subscriber");
        }
        return suppressions.validate(kind, entry.value(), reason, entry.detail());
    }
}
