package io.carteiro.bounces;

import io.carteiro.subscribers.SuppressionKind;
import io.carteiro.subscribers.SuppressionReason;
import io.carteiro.subscribers.Suppressions;
import io.carteiro.text.CsvCells;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The suppression list of addresses and whole domains that are never mailed again, each with its reason: added by
 * hand, through the API or a CSV import, and by complaints. Erasure hashes in the same table are not shown here.
 */
@ApplicationScoped
class SuppressionList {

    static final Set<String> KINDS = Set.of("address", "domain");
    static final Set<String> REASONS = Set.of("manual", "bounce", "complaint", "unsubscribe", "import");
    static final int MAX_IMPORT_ROWS = 100_000;

    /** One entry. */
    record Entry(long id, String kind, String value, String reason, String detail, Instant createdAt) {
    }

    /** An entry to add, before validation. */
    record NewEntry(String kind, String value, String reason, String detail) {
    }

    /** The result of an import: how many were added, or why nothing was. */
    record ImportResult(int added, int alreadyPresent, List<String> errors) {
    }

    private final EntityManager em;
    private final Suppressions suppressions;

    SuppressionList(EntityManager em, Suppressions suppressions) {
        this.em = em;
        this.suppressions = suppressions;
    }

    @Transactional
    List<Entry> list(String search, int limit) {
        String q = search == null || search.isBlank() ? null : "%" + search.strip().toLowerCase(Locale.ROOT) + "%";
        var query = em.createNativeQuery("select id, kind, value, reason, detail, created_at from suppression "
                + "where kind in ('address', 'domain')" + (q == null ? "" : " and value like :q")
                + " order by id desc limit :limit").setParameter("limit", Math.max(1, Math.min(limit, 100_000)));
        if (q != null) {
            query.setParameter("q", q);
        }
        List<Entry> entries = new ArrayList<>();
        for (Object o : query.getResultList()) {
            entries.add(entry((Object[]) o));
        }
        return entries;
    }

    /** Adds one entry (normalised); an invalid one is refused with {@link IllegalArgumentException} naming the field. */
    @Transactional
    Entry add(NewEntry entry) {
        Suppressions.NewEntry valid = validate(entry);
        suppressions.insert(valid);
        return find(valid.kind().value(), valid.value()).orElseThrow();
    }

    @Transactional
    boolean remove(long id) {
        return em.createNativeQuery("delete from suppression where id = :id and kind in ('address', 'domain')")
                .setParameter("id", id).executeUpdate() == 1;
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
        for (Entry e : list(null, 100_000)) {
            printer.printRecord(e.kind(), CsvCells.neutralise(e.value()), e.reason(), CsvCells.neutralise(e.detail()),
                    e.createdAt());
        }
        printer.flush();
    }

    /** Only addresses and domains are entered here (erasure hashes come from erasure), with a reason of {@link #REASONS}. */
    private Suppressions.NewEntry validate(NewEntry entry) {
        String kind = entry.kind() == null ? "" : entry.kind().strip().toLowerCase(Locale.ROOT);
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind must be 'address' or 'domain', was '" + entry.kind() + "'");
        }
        String reason = entry.reason() == null || entry.reason().isBlank() ? "manual"
                : entry.reason().strip().toLowerCase(Locale.ROOT);
        if (!REASONS.contains(reason)) {
            throw new IllegalArgumentException("reason must be one of " + String.join(", ", REASONS.stream().sorted()
                    .toList()) + ", was '" + entry.reason() + "'");
        }
        return suppressions.validate(SuppressionKind.parse(kind), entry.value(), SuppressionReason.parse(reason),
                entry.detail());
    }

    private Optional<Entry> find(String kind, String value) {
        return em.createNativeQuery("select id, kind, value, reason, detail, created_at from suppression "
                        + "where kind = :kind and value = :value")
                .setParameter("kind", kind).setParameter("value", value).getResultList().stream().findFirst()
                .map(o -> entry((Object[]) o));
    }

    private static Entry entry(Object[] r) {
        Instant created = r[5] instanceof Timestamp t ? t.toInstant()
                : r[5] instanceof LocalDateTime l ? l.toInstant(ZoneOffset.UTC) : (Instant) r[5];
        return new Entry(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                created);
    }
}
