package io.carteiro.ops;

import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether this process can reach its database, as the work that needs it finds out. When the database goes away
 * every loop, scheduler thread and health probe fails at once and keeps failing; logged one by one that is tens of
 * thousands of stack traces. Here the change of state is logged once ("unreachable", then "reachable again"), and
 * while it lasts one short line per interval at most says how long and how many failures were folded in.
 *
 * <p>Static, because the log filter that folds the framework's own messages ({@link DatabaseOutageFilter}) is
 * created by the logging system, outside CDI; {@link DatabaseWatch} notices the return.
 */
public final class DatabaseOutage {

    private static final Logger LOG = Logger.getLogger(DatabaseOutage.class);
    /** The category of this class's own lines, which the filter always lets through. */
    static final String CATEGORY = DatabaseOutage.class.getName();

    private static final AtomicLong folded = new AtomicLong();
    private static volatile Clock clock = Clock.systemUTC();
    private static volatile Duration interval = Duration.ofMinutes(1);
    private static volatile Instant lostAt;
    private static volatile Instant lastLine;

    private DatabaseOutage() {
    }

    /** At most one "still unreachable" line per {@code logInterval} ({@code carteiro.ops.outage-log-interval}). */
    static void configure(Duration logInterval, Clock time) {
        interval = logInterval;
        clock = time;
    }

    /** Whether the database is known to be unreachable now. */
    public static boolean unreachable() {
        return lostAt != null;
    }

    /**
     * Reports a failure to reach the database: the first one of an outage is logged (with its cause's first line,
     * no stack trace); later ones are counted and summarised once per interval.
     */
    public static void failed(String where, Throwable cause) {
        Instant now = clock.instant();
        synchronized (DatabaseOutage.class) {
            if (lostAt == null) {
                lostAt = now;
                lastLine = now;
                folded.set(0);
                LOG.errorf("The database is unreachable (%s: %s). Work that needs it waits and tries again; further"
                        + " database errors are summarised here every %s until it is back.", where, summary(cause),
                        pretty(interval));
                return;
            }
        }
        folded.incrementAndGet();
        remindIfDue(now);
    }

    /** Reports that the database answered; ends an outage with one line. */
    public static void reachable() {
        if (lostAt == null) {
            return;
        }
        Instant now = clock.instant();
        synchronized (DatabaseOutage.class) {
            if (lostAt == null) {
                return;
            }
            LOG.infof("The database is reachable again after %s (%d database errors folded into these lines)",
                    pretty(Duration.between(lostAt, now)), folded.get());
            lostAt = null;
        }
    }

    private static void remindIfDue(Instant now) {
        Instant last = lastLine;
        if (last == null || Duration.between(last, now).compareTo(interval) < 0) {
            return;
        }
        synchronized (DatabaseOutage.class) {
            if (lostAt == null || lastLine != last) {
                return;
            }
            lastLine = now;
            LOG.warnf("The database is still unreachable, for %s now (%d database errors folded in)",
                    pretty(Duration.between(lostAt, now)), folded.get());
        }
    }

    /**
     * Whether the failure is the database being out of reach (refused, reset or timed-out connections, a closed
     * connection, a pool that could not get one), as opposed to an error of the statement itself. Only SQL-level
     * failures count: an SMTP server refusing a connection is not the database.
     */
    public static boolean isConnectionFailure(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            // by SQLState, not by exception class: MariaDB's driver files every state it has no class for (such
            // as a trigger's 45000) under SQLTransientConnectionException
            if (t instanceof SQLException sql && (startsWith(sql.getSQLState(), "08")
                    || contains(sql.getMessage(), "Acquisition timeout"))) {
                return true;
            }
            if (t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the chain holds any SQL failure (or a transaction manager's, which wraps the connection's). */
    static boolean involvesDatabase(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLException || t.getClass().getName().startsWith("jakarta.transaction.")
                    || t.getClass().getName().startsWith("org.hibernate.exception.")) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message of the chain, on one line. */
    static String summary(Throwable cause) {
        if (cause == null) {
            return "no detail";
        }
        Throwable root = cause;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (root.getCause() != null && seen.add(root)) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        message = message.replaceAll("\\s+", " ").strip();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    private static boolean startsWith(String text, String prefix) {
        return text != null && text.startsWith(prefix);
    }

    private static boolean contains(String text, String part) {
        return text != null && text.contains(part);
    }

    static String pretty(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + " s" : (s / 60) + " min";
    }
}
