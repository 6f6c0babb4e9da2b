package io.carteiro.ops;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Folds the log lines of a database outage into {@link DatabaseOutage}'s few: a warning or error whose exception
 * is a lost database connection (from any category: Quartz's cluster manager, the import worker, a campaign tick,
 * the sender loops), and, while the database is known to be unreachable, any line whose exception involves the
 * database and the message-only lines that the pool, Hibernate, the driver, the transaction manager and the health
 * checks print about it. Everything else passes untouched.
 * Installed on the console handler ({@code quarkus.log.console.filter=database-outage}).
 */
@LoggingFilter(name = "database-outage")
public final class DatabaseOutageFilter implements Filter {

    /** Categories whose lines during an outage only repeat that the database is unreachable. */
    private static final List<String> REPEATERS = List.of("io.agroal.", "org.hibernate.engine.jdbc.",
            "org.hibernate.orm.connections", "org.mariadb.jdbc.", "org.quartz.", "io.smallrye.health",
            "io.quarkus.scheduler.", "io.quarkus.quartz.", "com.arjuna.");
    /** Message fragments of a lost database connection in lines that carry no exception. */
    private static final List<String> CONNECTION_LOST = List.of("SQLState: 08", "Acquisition timeout",
            "Connection is closed", "Socket fail to connect", "Connection refused", "Communications link failure");

    @Override
    public boolean isLoggable(LogRecord record) {
        String category = record.getLoggerName() == null ? "" : record.getLoggerName();
        if (record.getLevel().intValue() < Level.WARNING.intValue()) {
            // the health endpoint reports every DOWN answer at INFO: once per probe for the length of an outage
            return record.getLevel().intValue() < Level.INFO.intValue() || !DatabaseOutage.unreachable()
                    || !category.startsWith("io.smallrye.health");
        }
        if (category.equals(DatabaseOutage.CATEGORY)) {
            return true;
        }
        Throwable thrown = record.getThrown();
        // during an outage any database error is part of it: a dead pooled connection also fails as "could not
        // enlist" in a transaction, with the connection's own SQLState lost on the way
        if (thrown != null && (DatabaseOutage.isConnectionFailure(thrown)
                || (DatabaseOutage.unreachable() && DatabaseOutage.involvesDatabase(thrown)))) {
            DatabaseOutage.failed(category, thrown);
            return false;
        }
        if (repeater(category)) {
            String message = message(record);
            boolean aboutConnection = CONNECTION_LOST.stream().anyMatch(message::contains);
            if (aboutConnection || (DatabaseOutage.unreachable() && thrown == null)) {
                DatabaseOutage.failed(category, new java.sql.SQLException(message));
                return false;
            }
        }
        return true;
    }

    private static boolean repeater(String category) {
        for (String prefix : REPEATERS) {
            if (category.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String message(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        return message == null ? "" : message;
    }
}
