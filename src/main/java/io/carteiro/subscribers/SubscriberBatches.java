package io.carteiro.subscribers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carteiro.subscribers.AttributeLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Adds many subscribers at once for other features (the CSV import): one batch of valid rows with a handful of
 * set-based statements inside the caller's transaction and on its connection. One suppression check for the batch
 * ({@link Suppressions#suppressedAmong}); one read of the subscribers already known (with their subscription to the
 * list); new addresses in one plain multi-row INSERT whose consecutive ids then feed {@code INSERT … SELECT … WHERE id
 * BETWEEN} for their subscriptions and consent events (no second lookup by address); known ones through a multi-row
 * upsert and {@code INSERT … SELECT} by id.
 */
@ApplicationScoped
public class SubscriberBatches {

    private static final TypeReference<LinkedHashMap<String, Object>> ATTRIBUTES = new TypeReference<>() {
    };

    @Inject
    Suppressions suppressions;

    @Inject
    ConsentLog log;

    @Inject
    ObjectMapper json;

    @Inject
    AttributeLimits limits;

    /** Whether this server hands a multi-row INSERT consecutive ids; null until asked. */
    private volatile Boolean consecutiveIds;

    /** Whether this server can log READ COMMITTED writes (not with binlog_format=STATEMENT); null until asked. */
    private volatile Boolean readCommittedWrites;

    /**
     * A valid row of a batch: its address and the address's key (lower case, computed once), name (null when empty),
     * non-empty attribute values and those values already written as JSON (null when there are none), so the writer
     * only binds them. {@code row} numbers the row in its source (data rows from 1).
     */
    public record Row(long row, EmailAddress address, String key, String name, Map<String, String> attributes,
                      String attributesJson) {
    }

    /** The list a batch goes to: its id, its name (copied into the consent log) and its current consent text. */
    public record Target(long importId, long listId, String listName, Long consentTextId, String legalBasis,
                         String actor) {
    }

    /** A row left as it was, with the reason. */
    public record Note(long row, String reason) {
    }

    /** What a batch did: counts of rows added, updated and left as they were, and the rows skipped with a reason. */
    public record Outcome(int added, int updated, int skipped, List<Note> notes) {
    }

    /**
     * The order in which batches written side by side insert their new subscribers (so ids follow the source).
     * {@link #awaitTurn} returns once the batch before has inserted, or throws to roll this batch back;
     * {@link #passTurn} lets the next batch go.
     */
    public interface InsertOrder {
        void awaitTurn();

        void passTurn();
    }

    private record Known(long id, String name, String attributes, String status, String subscription) {
    }

    private record Upsert(Row row, String name, String attributes) {
    }

    /**
     * Subscribes the batch's addresses to the target list (confirmed, with the import's evidence), creating the new
     * ones and laying the rows' names and attributes over the known ones; suppressed, inactive and unsubscribed
     * addresses are left alone with a note.
     */
    public Outcome subscribe(Connection c, Target target, List<Row> rows, Instant now, InsertOrder turn)
            throws SQLException {
        List<Note> notes = new ArrayList<>();
        List<Row> allowed = allowed(c, rows, notes, now);
        if (allowed == null) {
            return new Outcome(0, 0, 0, notes);
        }
        return subscribe(c, target, allowed, known(c, target.listId(), allowed), notes, now, turn);
    }

    /** Blocklists the batch's addresses everywhere, creating the new ones; suppressed ones are left alone. */
    public Outcome blocklist(Connection c, Target target, List<Row> rows, Instant now) throws SQLException {
        List<Note> notes = new ArrayList<>();
        List<Row> allowed = allowed(c, rows, notes, now);
        if (allowed == null) {
            return new Outcome(0, 0, 0, notes);
        }
        return blocklist(c, target, allowed, known(c, target.listId(), allowed), notes, now);
    }

    /** The rows not suppressed (the others noted), or null for an empty batch; sets the batch's time. */
    private List<Row> allowed(Connection c, List<Row> rows, List<Note> notes, Instant now) throws SQLException {
        if (rows.isEmpty()) {
            return null;
        }
        setBatchTime(c, now);
        List<Suppressions.Candidate> candidates = rows.stream()
                .map(r -> new Suppressions.Candidate(r.key(), r.address().domainKey())).toList();
        var suppressed = suppressions.suppressedAmong(c, candidates);
        List<Row> allowed = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (suppressed.contains(row.key())) {
                notes.add(new Note(row.row(),
                        "suppressed: " + row.address().value() + " is on the suppression list (or was erased)"));
            } else {
                allowed.add(row);
            }
        }
        return allowed;
    }

    private Outcome subscribe(Connection c, Target target, List<Row> rows, Map<String, Known> known,
                              List<Note> notes, Instant now, InsertOrder turn) throws SQLException {
        List<Row> fresh = new ArrayList<>();
        List<Upsert> upserts = new ArrayList<>();
        List<String> toSubscribe = new ArrayList<>();
        int updated = 0;
        int skipped = notes.size();
        for (Row row : rows) {
            Known k = known.get(row.key());
            if (k == null) {
                fresh.add(row);
                continue;
            }
            if (!"active".equals(k.status())) {
                notes.add(new Note(row.row(), "subscriber is " + k.status() + "; not subscribed"));
                skipped++;
                continue;
            }
            if ("unsubscribed".equals(k.subscription())) {
                notes.add(new Note(row.row(), "unsubscribed from this list earlier; left unsubscribed"));
                skipped++;
                continue;
            }
            Merge merge = merge(row, k);
            if (merge.problem() != null) {
                notes.add(new Note(row.row(), merge.problem() + " once merged with the stored ones;"
                        + " row left out"));
                skipped++;
                continue;
            }
            Upsert merged = merge.upsert();
            if (merged != null) {
                upserts.add(merged);
            }
            if (k.subscription() == null) {
                toSubscribe.add(row.key());
            } else if (merged != null) {
                updated++;
            } else {
                skipped++;
            }
        }
        Optional<IdRange> inserted = insertFresh(c, fresh, now, turn);
        if (inserted.isPresent()) {
            subscribeRange(c, target, inserted.get(), now);
        } else {
            for (Row row : fresh) {
                upserts.add(new Upsert(row, row.name(), row.attributesJson()));
                toSubscribe.add(row.key());
            }
        }
        upsertSubscribers(c, upserts, "active", now);
        subscribeAll(c, target, toSubscribe, known, now);
        return new Outcome(toSubscribe.size() + (inserted.isPresent() ? fresh.size() : 0), updated, skipped, notes);
    }

    /** The ids one multi-row INSERT gave its rows: consecutive, {@code first} to {@code last}. */
    private record IdRange(long first, long last) {
    }

    /**
     * Adds the batch's new subscribers with one plain multi-row INSERT and returns the ids they got, or empty when
     * the fast path does not apply: the server may interleave auto-increment ids (innodb_autoinc_lock_mode = 2, e.g.
     * Galera) or step them by more than one, or another writer stored one of these addresses since this batch
     * looked (the failed statement is rolled back on its own, and the caller falls back to the upsert).
     * With the default lock modes 0 and 1 a multi-row INSERT whose row count is known gets consecutive ids. The
     * statement runs in the batch's turn ({@link InsertOrder}), after the batch before it has run its own.
     */
    private Optional<IdRange> insertFresh(Connection c, List<Row> fresh, Instant now, InsertOrder turn)
            throws SQLException {
        if (fresh.isEmpty() || !consecutiveIds(c)) {
            return Optional.empty();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO subscriber (email, email_key, domain, name,"
                + " attributes, status, created_at, updated_at) VALUES "
                + SqlLists.repeat("(?, ?, ?, ?, ?, 'active', " + BATCH_TIME + ", " + BATCH_TIME + ")", fresh.size()),
                Statement.RETURN_GENERATED_KEYS)) {
            int p = 1;
            for (Row row : fresh) {
                s.setString(p++, row.address().value());
                s.setString(p++, row.key());
                s.setString(p++, row.address().domainKey());
                s.setString(p++, row.name());
                s.setString(p++, row.attributesJson());
            }
            int count;
            turn.awaitTurn();
            try {
                count = s.executeUpdate();
            } catch (SQLIntegrityConstraintViolationException duplicate) {
                return Optional.empty();
            } finally {
                turn.passTurn();
            }
            try (ResultSet keys = s.getGeneratedKeys()) {
                if (count != fresh.size() || !keys.next()) {
                    throw new SQLException("subscriber insert reported " + count + " rows for " + fresh.size());
                }
                long first = keys.getLong(1);
                return Optional.of(new IdRange(first, first + fresh.size() - 1));
            }
        }
    }

    /** Whether multi-row inserts get consecutive ids on this server (asked once). */
    private boolean consecutiveIds(Connection c) throws SQLException {
        Boolean known = consecutiveIds;
        if (known == null) {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT @@innodb_autoinc_lock_mode, @@auto_increment_increment");
                 ResultSet r = s.executeQuery()) {
                r.next();
                known = r.getInt(1) != 2 && r.getInt(2) == 1;
            }
            consecutiveIds = known;
        }
        return known;
    }

    /**
     * Whether batches can be written at READ COMMITTED on this server: not when it keeps a statement-based binary
     * log, which refuses such writes. Asked once.
     */
    public boolean readCommittedWrites(Connection c) throws SQLException {
        Boolean allowed = readCommittedWrites;
        if (allowed == null) {
            try (PreparedStatement s = c.prepareStatement("SELECT @@log_bin, @@binlog_format");
                 ResultSet r = s.executeQuery()) {
                r.next();
                allowed = !(r.getBoolean(1) && "STATEMENT".equalsIgnoreCase(r.getString(2)));
            }
            readCommittedWrites = allowed;
        }
        return allowed;
    }

    /**
     * Makes the transaction about to start on {@code c} READ COMMITTED, so that {@code INSERT … SELECT} reads its
     * source rows without locking them and the gaps next to them: two batches of one import written side by side
     * then only meet on rows each of them adds. Must come before the transaction's first statement.
     */
    public static void readCommitted(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        }
    }

    /**
     * A session variable holding the batch's time, set once per batch, so that multi-row statements name it instead
     * of binding it once per row: the driver formats every bound timestamp with a new {@code SimpleDateFormat}, which
     * took a quarter of an import's CPU time (JFR, 1M rows).
     */
    private static final String BATCH_TIME = "@carteiro_batch_time";

    private static void setBatchTime(Connection c, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SET " + BATCH_TIME + " = ?")) {
            s.setTimestamp(1, Timestamp.from(at));
            s.execute();
        }
    }

    /** Binds the six leading parameters of the subscription INSERT … SELECT; returns the next parameter index. */
    private static int bindSubscription(PreparedStatement s, Target target, Timestamp at) throws SQLException {
        int p = 1;
        s.setLong(p++, target.listId());
        s.setTimestamp(p++, at);
        setNullableLong(s, p++, target.consentTextId());
        s.setString(p++, target.legalBasis());
        s.setTimestamp(p++, at);
        s.setTimestamp(p++, at);
        return p;
    }

    /**
     * Confirmed subscriptions with the import's evidence and one consent event each for subscribers this batch has
     * just created: two set-based statements over the id range, since nobody else can have rows for them yet.
     */
    private void subscribeRange(Connection c, Target target, IdRange ids, Instant now) throws SQLException {
        Timestamp at = Timestamp.from(now);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO subscription (list_id, subscriber_id,"
                + " status, source, subscribed_at, consent_text_id, legal_basis, confirmed_at, updated_at)"
                + " SELECT ?, id, 'confirmed', 'import', ?, ?, ?, ?, ? FROM subscriber WHERE id BETWEEN ? AND ?")) {
            int p = bindSubscription(s, target, at);
            s.setLong(p++, ids.first());
            s.setLong(p, ids.last());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO consent_event (subscriber_id, list_id, list_name,"
                + " event, source, occurred_at, consent_text_id, legal_basis, actor, detail)"
                + " SELECT id, ?, ?, 'subscribed', 'import', ?, ?, ?, ?, ? FROM subscriber WHERE id BETWEEN ? AND ?")) {
            int p = 1;
            s.setLong(p++, target.listId());
            s.setString(p++, target.listName());
            s.setTimestamp(p++, at);
            setNullableLong(s, p++, target.consentTextId());
            s.setString(p++, target.legalBasis());
            s.setString(p++, target.actor());
            s.setString(p++, "CSV import #" + target.importId());
            s.setLong(p++, ids.first());
            s.setLong(p, ids.last());
            s.executeUpdate();
        }
    }

    private Outcome blocklist(Connection c, Target target, List<Row> rows, Map<String, Known> known,
                              List<Note> notes, Instant now) throws SQLException {
        List<Upsert> upserts = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        int added = 0;
        int updated = 0;
        int skipped = notes.size();
        for (Row row : rows) {
            Known k = known.get(row.key());
            if (k == null) {
                upserts.add(new Upsert(row, row.name(), row.attributesJson()));
                changed.add(row.key());
                added++;
            } else if (!"blocklisted".equals(k.status())) {
                upserts.add(new Upsert(row, k.name(), k.attributes()));
                changed.add(row.key());
                updated++;
            } else {
                skipped++;
            }
        }
        upsertSubscribers(c, upserts, "blocklisted", now);
        if (!changed.isEmpty()) {
            appendEvents(c, idsOf(c, changed), "blocklisted", target, null, "blocklisted by CSV import #" + target.importId());
        }
        return new Outcome(added, updated, skipped, notes);
    }

    /** The subscribers of this batch already stored, with their subscription status on the list (null if none). */
    private Map<String, Known> known(Connection c, long listId, List<Row> rows) throws SQLException {
        Map<String, Known> known = new HashMap<>();
        if (rows.isEmpty()) {
            return known;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT s.id, s.email_key, s.name, s.attributes, s.status,"
                + " sub.status FROM subscriber s LEFT JOIN subscription sub ON sub.subscriber_id = s.id"
                + " AND sub.list_id = ? WHERE s.email_key IN (" + SqlLists.marks(rows.size()) + ")")) {
            int p = 1;
            s.setLong(p++, listId);
            for (Row row : rows) {
                s.setString(p++, row.key());
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    known.put(r.getString(2), new Known(r.getLong(1), r.getString(3), r.getString(4),
                            r.getString(5), r.getString(6)));
                }
            }
        }
        return known;
    }

    /** The row laid over a stored subscriber: the upsert (null when nothing changes), or why it cannot be stored. */
    private record Merge(Upsert upsert, String problem) {
    }

    /** The row's name and attributes laid over the stored ones, held to the same limits as the row alone. */
    private Merge merge(Row row, Known k) {
        String name = row.name() == null ? k.name() : row.name();
        Map<String, Object> stored = parseAttributes(k.attributes());
        Map<String, Object> attributes = new LinkedHashMap<>(stored);
        attributes.putAll(row.attributes());
        if (Objects.equals(name, k.name()) && attributes.equals(stored)) {
            return new Merge(null, null);
        }
        String json = attributes.isEmpty() ? null : write(attributes);
        Optional<String> problem = limits.problem(attributes, json);
        return problem.isPresent() ? new Merge(null, problem.get()) : new Merge(new Upsert(row, name, json), null);
    }

    private void upsertSubscribers(Connection c, List<Upsert> upserts, String status, Instant now)
            throws SQLException {
        if (upserts.isEmpty()) {
            return;
        }
        String onDuplicate = "blocklisted".equals(status)
                ? " ON DUPLICATE KEY UPDATE status = 'blocklisted', updated_at = VALUES(updated_at)"
                : " ON DUPLICATE KEY UPDATE name = VALUES(name), attributes = VALUES(attributes),"
                + " updated_at = VALUES(updated_at)";
        try (PreparedStatement s = c.prepareStatement("INSERT INTO subscriber (email, email_key, domain, name,"
                + " attributes, status, created_at, updated_at) VALUES "
                + SqlLists.repeat("(?, ?, ?, ?, ?, ?, " + BATCH_TIME + ", " + BATCH_TIME + ")", upserts.size())
                + onDuplicate)) {
            int p = 1;
            for (Upsert u : upserts) {
                s.setString(p++, u.row().address().value());
                s.setString(p++, u.row().key());
                s.setString(p++, u.row().address().domainKey());
                s.setString(p++, u.name());
                s.setString(p++, u.attributes());
                s.setString(p++, status);
            }
            s.executeUpdate();
        }
    }

    /**
     * Confirmed subscriptions with the import's evidence, then one consent event for each subscription this
     * statement created. When another writer added some of them meanwhile (fewer rows inserted than asked), the
     * batch's timestamp tells which ones are ours.
     */
    private void subscribeAll(Connection c, Target target, List<String> keys, Map<String, Known> known, Instant now)
            throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>(keys.size());
        List<String> fresh = new ArrayList<>();
        for (String key : keys) {
            Known k = known.get(key);
            if (k != null) {
                ids.add(k.id());
            } else {
                fresh.add(key);
            }
        }
        if (!fresh.isEmpty()) {
            ids.addAll(idsOf(c, fresh));
        }
        Timestamp at = Timestamp.from(now);
        int inserted;
        try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO subscription (list_id, subscriber_id,"
                + " status, source, subscribed_at, consent_text_id, legal_basis, confirmed_at, updated_at)"
                + " SELECT ?, s.id, 'confirmed', 'import', ?, ?, ?, ?, ? FROM subscriber s"
                + " WHERE s.id IN (" + SqlLists.marks(ids.size()) + ")")) {
            int p = bindSubscription(s, target, at);
            for (long id : ids) {
                s.setLong(p++, id);
            }
            inserted = s.executeUpdate();
        }
        List<Long> created = inserted == ids.size() ? ids : ours(c, target.listId(), ids, at);
        appendEvents(c, created, "subscribed", target, target.consentTextId(),
                "CSV import #" + target.importId());
    }

    /** The ids of the stored subscribers with these address keys (the ones not stored are left out). */
    private static List<Long> idsOf(Connection c, List<String> keys) throws SQLException {
        List<Long> ids = new ArrayList<>(keys.size());
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM subscriber WHERE email_key IN ("
                + SqlLists.marks(keys.size()) + ")")) {
            int p = 1;
            for (String key : keys) {
                s.setString(p++, key);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getLong(1));
                }
            }
        }
        return ids;
    }

    private static List<Long> ours(Connection c, long listId, List<Long> ids, Timestamp at) throws SQLException {
        List<Long> created = new ArrayList<>(ids.size());
        try (PreparedStatement s = c.prepareStatement("SELECT subscriber_id FROM subscription WHERE list_id = ?"
                + " AND subscribed_at = ? AND source = 'import' AND subscriber_id IN (" + SqlLists.marks(ids.size())
                + ")")) {
            int p = 1;
            s.setLong(p++, listId);
            s.setTimestamp(p++, at);
            for (long id : ids) {
                s.setLong(p++, id);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    created.add(r.getLong(1));
                }
            }
        }
        return created;
    }

    /** One consent event per subscriber, in one multi-row insert (the log is append-only). */
    private void appendEvents(Connection c, List<Long> subscriberIds, String event, Target target,
                              Long consentTextId, String detail) throws SQLException {
        if (subscriberIds.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO consent_event (subscriber_id, list_id, list_name,"
                + " event, source, occurred_at, consent_text_id, legal_basis, actor, detail) VALUES "
                + SqlLists.repeat("(?, ?, ?, ?, 'import', " + BATCH_TIME + ", ?, ?, ?, ?)", subscriberIds.size()))) {
            int p = 1;
            for (long subscriberId : subscriberIds) {
                s.setLong(p++, subscriberId);
                s.setLong(p++, target.listId());
                s.setString(p++, target.listName());
                s.setString(p++, event);
                setNullableLong(s, p++, consentTextId);
                s.setString(p++, target.legalBasis());
                s.setString(p++, target.actor());
                s.setString(p++, detail);
            }
            s.executeUpdate();
        }
    }

    /** The attribute values as a JSON object, or null when there are none. */
    public String attributesJson(Map<String, String> attributes) {
        return attributes.isEmpty() ? null : write(attributes);
    }

    /** Why a row's attributes cannot be stored (the limits of the API hold for imports too), or empty. */
    public Optional<String> attributesProblem(Map<String, String> attributes, String json) {
        return limits.problem(attributes, json);
    }

    private String write(Map<String, ?> attributes) {
        try {
            return json.writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("attributes cannot be written as JSON", e);
        }
    }

    private Map<String, Object> parseAttributes(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> parsed = json.readValue(text, ATTRIBUTES);
            return parsed == null ? Map.of() : parsed;
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static void setNullableLong(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, java.sql.Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }
}
