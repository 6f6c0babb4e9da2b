package io.carteiro.delivery;

import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * What the engine's loops say when the database does not answer: the change of state once (lost, with the cause
 * in one line; back, with how long it was away), and while it lasts one short line per {@link #REMINDER} at most,
 * instead of a stack trace from every loop every few seconds.
 */
final class DatabaseOutage {

    private static final Logger LOG = Logger.getLogger(DatabaseOutage.class);
    static final Duration REMINDER = Duration.ofMinutes(1);

    private boolean down; // guarded by this
    private long since;
    private long lastLine;
    private volatile long lastFailure;

    /** A loop's database work failed. */
    synchronized void failed(String what, Throwable cause, int waiting) {
        long now = System.nanoTime();
        lastFailure = now;
        if (!down) {
            down = true;
            since = now;
            lastLine = now;
            LOG.warnf("database unreachable (%s: %s); claimed messages are still sent and their outcomes kept in"
                    + " the delivery journal until it answers", what, rootCause(cause));
        } else if (now - lastLine >= REMINDER.toNanos()) {
            lastLine = now;
            LOG.warnf("database still unreachable after %d s; %d outcomes waiting to be stored",
                    (now - since) / 1_000_000_000L, waiting);
        }
    }

    /** A loop's database work succeeded. */
    synchronized void answered() {
        if (down) {
            down = false;
            LOG.infof("database back after %d s", (System.nanoTime() - since) / 1_000_000_000L);
        }
    }

    synchronized boolean down() {
        return down;
    }

    /** Whether any database work of this instance failed within the last {@code window}. */
    boolean failedWithin(Duration window) {
        long last = lastFailure;
        return last != 0 && System.nanoTime() - last < window.toNanos();
    }

    static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
