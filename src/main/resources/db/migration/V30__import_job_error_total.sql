-- Imports: how many row errors a job met (only the first carteiro.imports.max-stored-errors are kept in
-- import_error), and an index for workers looking for queued or abandoned jobs.
ALTER TABLE import_job ADD COLUMN errors_total BIGINT NOT NULL DEFAULT 0 AFTER rows_failed;
CREATE INDEX ix_import_job_state ON import_job (state, id);
