package io.carteiro.subscribers.imports;

import java.time.Instant;

/** One import as stored in {@code import_job}: what was asked, and how far it got. */
record ImportJob(long id, Long listId, String listName, ImportMode mode, String state, String fileName,
                 String filePath, String charset, Character delimiter, String mapping, String legalBasis,
                 Progress progress, long bytesTotal, String error, String createdBy, Instant createdAt,
                 Instant startedAt, Instant finishedAt) {

    /** Counters, written together with each batch so they always match what is committed. */
    record Progress(long rowsRead, long rowsAdded, long rowsUpdated, long rowsSkipped, long rowsFailed,
                    long bytesRead, long errorsTotal) {
        static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0, 0);
    }

    public boolean finished() {
        return "done".equals(state) || "failed".equals(state);
    }

    public int percent() {
        if ("done".equals(state)) {
            return 100;
        }
        return bytesTotal <= 0 ? 0 : (int) Math.min(99, progress.bytesRead() * 100 / bytesTotal);
    }
}
