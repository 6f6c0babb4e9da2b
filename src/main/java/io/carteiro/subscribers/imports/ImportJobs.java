package io.carteiro.subscribers.imports;

import io.agroal.api.AgroalDataSource;
import io.carteiro.subscribers.SqlLists;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code import_job} and {@code import_error} tables. Callers run inside a transaction; the connection taken
 * from the datasource there is the transaction's own.
 */
@ApplicationScoped
class ImportJobs {

    private static final String COLUMNS = "j.id, j.list_id, l.name, j.mode, j.state, j.file_name, j.file_path,"
            + " j.charset, j.separator_char, JSON_VALUE(j.mapping, '$'), j.legal_basis, j.rows_read, j.rows_added,"
            + " j.rows_updated, j.rows_skipped, j.rows_failed, j.bytes_read, j.errors_total, j.bytes_total, j.error,"
            + " j.created_by, j.created_at, j.started_at, j.finished_at"
            + " FROM import_job j LEFT JOIN mailing_list l ON l.id = j.list_id";

    @Inject
    AgroalDataSource dataSource;

    /** A list as an import needs it: its name and the id of its current consent text, if it has one. */
    record ListInfo(long id, String name, Long consentTextId) {
    }

    Optional<ListInfo> list(long listId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT l.id, l.name, t.id FROM mailing_list l"
                     + " LEFT JOIN consent_text t ON t.list_id = l.id AND t.version = l.consent_text_version"
                     + " WHERE l.id = ?")) {
            s.setLong(1, listId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                long text = r.getLong(3);
                return Optional.of(new ListInfo(r.getLong(1), r.getString(2), r.wasNull() ? null : text));
            }
        }
    }

    long create(long listId, ImportMode mode, String fileName, String filePath, String charset, Character delimiter,
                String mapping, String legalBasis, long bytesTotal, String createdBy, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO import_job (list_id, mode, state, file_name,"
                     + " file_path, charset, separator_char, mapping, legal_basis, bytes_total, created_by, created_at)"
                     + " VALUES (?, ?, 'queued', ?, ?, ?, ?, JSON_QUOTE(?), ?, ?, ?, ?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            s.setLong(1, listId);
            s.setString(2, mode.dbValue());
            s.setString(3, fileName);
            s.setString(4, filePath);
            s.setString(5, charset);
            s.setString(6, delimiter == null ? null : delimiter.toString());
            s.setString(7, mapping);
            s.setString(8, legalBasis);
            s.setLong(9, bytesTotal);
            s.setString(10, createdBy);
            s.setTimestamp(11, Timestamp.from(now));
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    Optional<ImportJob> find(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " WHERE j.id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    List<ImportJob> recent(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " ORDER BY j.id DESC LIMIT ?")) {
            s.setInt(1, limit);
            List<ImportJob> jobs = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    jobs.add(read(r));
                }
            }
            return jobs;
        }
    }

    List<RowError> errors(long importId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT row_no, column_name, reason FROM import_error"
                     + " WHERE import_id = ? ORDER BY row_no LIMIT ?")) {
            s.setLong(1, importId);
            s.setInt(2, limit);
            List<RowError> errors = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    errors.add(new RowError(r.getLong(1), r.getString(2), r.getString(3)));
                }
            }
            return errors;
        }
    }

    /**
     * Takes the oldest queued job, or a running one whose worker let its lease lapse, skipping rows other workers
     * hold locked at this instant.
     */
    Optional<ImportJob> claimNext(String owner, Instant now, Instant leaseUntil) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long id;
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM import_job WHERE state = 'queued'"
                    + " OR (state = 'running' AND lease_until < ?) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
                s.setTimestamp(1, Timestamp.from(now));
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    id = r.getLong(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE import_job SET state = 'running', lease_owner = ?,"
                    + " lease_until = ?, started_at = COALESCE(started_at, ?) WHERE id = ?")) {
                s.setString(1, owner);
                s.setTimestamp(2, Timestamp.from(leaseUntil));
                s.setTimestamp(3, Timestamp.from(now));
                s.setLong(4, id);
                s.executeUpdate();
            }
            return find(id);
        }
    }

    /** Records a committed batch's counters and renews the lease; false if another worker has taken the job. */
    boolean checkpoint(Connection c, long id, String owner, ImportJob.Progress p, Instant leaseUntil)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE import_job SET rows_read = ?, rows_added = ?,"
                + " rows_updated = ?, rows_skipped = ?, rows_failed = ?, bytes_read = ?, errors_total = ?,"
                + " lease_until = ? WHERE id = ? AND lease_owner = ? AND state = 'running'")) {
            setProgress(s, p);
            s.setTimestamp(8, Timestamp.from(leaseUntil));
            s.setLong(9, id);
            s.setString(10, owner);
            return s.executeUpdate() == 1;
        }
    }

    void insertErrors(Connection c, long id, List<RowError> errors) throws SQLException {
        if (errors.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO import_error (import_id, row_no,"
                + " column_name, reason) VALUES " + SqlLists.repeat("(?, ?, ?, ?)", errors.size()))) {
            int p = 1;
            for (RowError e : errors) {
                s.setLong(p++, id);
                s.setLong(p++, e.row());
                s.setString(p++, e.column() == null ? null : truncate(e.column(), 200));
                s.setString(p++, truncate(e.reason(), 500));
            }
            s.executeUpdate();
        }
    }

    /** Lets the job's lease lapse now (the worker stops), so that the next worker to look resumes it. */
    void release(long id, String owner, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE import_job SET lease_until = ?"
                     + " WHERE id = ? AND lease_owner = ? AND state = 'running'")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setLong(2, id);
            s.setString(3, owner);
            s.executeUpdate();
        }
    }

    /** Ends a job this worker owns as done or failed, with its final counters. */
    boolean finish(long id, String owner, String state, String error, ImportJob.Progress p, Instant now)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE import_job SET rows_read = ?, rows_added = ?,"
                     + " rows_updated = ?, rows_skipped = ?, rows_failed = ?, bytes_read = ?, errors_total = ?,"
                     + " state = ?, error = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL"
                     + " WHERE id = ? AND lease_owner = ? AND state = 'running'")) {
            setProgress(s, p);
            s.setString(8, state);
            if (error == null) {
                s.setNull(9, Types.VARCHAR);
            } else {
                s.setString(9, truncate(error, 1000));
            }
            s.setTimestamp(10, Timestamp.from(now));
            s.setLong(11, id);
            s.setString(12, owner);
            return s.executeUpdate() == 1;
        }
    }

    private static void setProgress(PreparedStatement s, ImportJob.Progress p) throws SQLException {
        s.setLong(1, p.rowsRead());
        s.setLong(2, p.rowsAdded());
        s.setLong(3, p.rowsUpdated());
        s.setLong(4, p.rowsSkipped());
        s.setLong(5, p.rowsFailed());
        s.setLong(6, p.bytesRead());
        s.setLong(7, p.errorsTotal());
    }

    private static ImportJob read(ResultSet r) throws SQLException {
        long listId = r.getLong(2);
        Long list = r.wasNull() ? null : listId;
        String separator = r.getString(9);
        ImportJob.Progress progress = new ImportJob.Progress(r.getLong(12), r.getLong(13), r.getLong(14),
                r.getLong(15), r.getLong(16), r.getLong(17), r.getLong(18));
        return new ImportJob(r.getLong(1), list, r.getString(3), ImportMode.parse(r.getString(4)).orElseThrow(),
                r.getString(5), r.getString(6), r.getString(7), r.getString(8),
                separator == null || separator.isEmpty() ? null : separator.charAt(0), r.getString(10),
                r.getString(11), progress, r.getLong(19), r.getString(20), r.getString(21), instant(r, 22),
                instant(r, 23), instant(r, 24));
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
