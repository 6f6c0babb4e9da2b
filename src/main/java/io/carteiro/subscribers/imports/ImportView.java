package io.carteiro.subscribers.imports;

import java.time.Instant;
import java.util.List;

/**
 * An import as the JSON API shows it. {@code errors} holds the first {@code errorsStored} row errors (rows in file
 * order, counted from 1 after the header); {@code errorsTruncated} says more were met than are kept.
 */
record ImportView(long id, Long listId, String listName, String mode, String state, String fileName,
                  long rowsRead, long rowsAdded, long rowsUpdated, long rowsSkipped, long rowsFailed,
                  long bytesTotal, long bytesRead, int percent, String error, long errorsTotal, int errorsStored,
                  boolean errorsTruncated, List<RowError> errors, Instant createdAt, Instant startedAt,
                  Instant finishedAt) {

    static ImportView of(ImportJob job, List<RowError> errors, int maxStoredErrors) {
        ImportJob.Progress p = job.progress();
        return new ImportView(job.id(), job.listId(), job.listName(), job.mode().dbValue(), job.state(),
                job.fileName(), p.rowsRead(), p.rowsAdded(), p.rowsUpdated(), p.rowsSkipped(), p.rowsFailed(),
                job.bytesTotal(), p.bytesRead(), job.percent(), job.error(), p.errorsTotal(),
                (int) Math.min(p.errorsTotal(), maxStoredErrors), p.errorsTotal() > maxStoredErrors, errors, job.createdAt(), job.startedAt(), job.finishedAt());
    }
}
