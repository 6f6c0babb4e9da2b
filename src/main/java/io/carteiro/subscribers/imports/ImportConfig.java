package io.carteiro.subscribers.imports;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;

/** Settings of CSV imports: where uploads wait, how big a batch is, how the background worker claims jobs. */
@ConfigMapping(prefix = "carteiro.imports")
public interface ImportConfig {

    /** Directory where uploaded CSV files wait until their job has run (deleted afterwards). */
    @WithDefault("carteiro-data/imports")
    Path dir();

    /** Data rows written per database transaction; each batch is atomic. */
    @WithDefault("2000")
    int batchSize();

    /**
     * Database connections writing one import's batches side by side; batches still commit one after another in
     * file order. 1 writes them one at a time (as does a server with a statement-based binary log).
     */
    @WithDefault("2")
    int writers();

    /** Row errors kept per import; rows beyond are still counted, and the job reports that the list is cut. */
    @WithDefault("10000")
    int maxStoredErrors();

    /** Longest row accepted, in characters; longer means an unclosed quote swallowed the file, and the job fails. */
    @WithDefault("1000000")
    int maxRecordChars();

    /** Longest attribute value, in characters. */
    @WithDefault("1000")
    int maxAttributeChars();

    /** How long a worker owns a running job without renewing; after it a crashed worker's job is taken over. */
    @WithDefault("PT2M")
    Duration lease();

    /** How often an idle worker looks for queued jobs (an upload on the same instance wakes it at once). */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** Background workers per instance; 0 turns processing off on this instance. */
    @WithDefault("1")
    int workers();
}
