package io.carteiro.delivery;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * What the engine's loops say when the database does not answer: the change of state once (lost, with the cause in
 * one line; back, with how long it was away), and while it lasts one short line per {@link #REMINDER} at most,
 * instead of a stack trace from every loop every few seconds. A database that fails calls is lost at the first
 * failure; one that takes calls and never answers (a frozen server, a vanished host) is lost once no call of the
 * engine has come back for the stall limit, which a periodic {@link #checkStalled} notices.
 */
final class DatabaseOutage {

    private static final Logger LOG = Logger.getLogger(DatabaseOutage.class);
    static final Duration REMINDER = Duration.ofMinutes(1);

    private final IntSupplier waiting;
    private boolean down; // guarded by this
    private long since;
    private long lastLine;
    private long lastAnswer = System.nanoTime();

    /** @param waiting how many outcomes wait to be stored (said in the reminders) */
    DatabaseOutage(IntSupplier waiting) {
        this.waiting = waiting;
    }

    /**
     * A loop's database work failed. A deadlock or a lock-wait timeout is the database answering (it chose a victim
     * among concurrent transactions; the loop retries at its next tick), so it is said in one line and never taken
     * for an outage.
     */
    void failed(String what, Throwable cause) {
        if (DeadlockRetry.isConflict(cause)) {
            answered();
            LOG.infof("%s: transaction conflict (%s); retried at the next tick", what, rootCause(cause));
            return;
        }
        lost(what + ": " + rootCause(cause));
    }

    /** Called a few times a second: the database is lost when none of the engine's calls came back for {@code limit}. */
    void checkStalled(Duration limit) {
        long silent;
        synchronized (this) {
            silent = System.nanoTime() - lastAnswer;
        }
        if (silent > limit.toNanos()) {
            lost("no answer for " + silent / 1_000_000_000L + " s");
        }
    }

    /** A loop's database work succeeded. */
    synchronized void answered() {
        long now = System.nanoTime();
        lastAnswer = now;
        if (down) {
            down = false;
            LOG.infof("database back after %d s", (now - since) / 1_000_000_000L);
        }
    }

    synchronized boolean down() {
        return down;
    }

    private void lost(String why) {
        int left = waiting.getAsInt();
        synchronized (this) {
            long now = System.nanoTime();
            if (!down) {
                down = true;
                since = now;
                lastLine = now;
                LOG.warnf("database unreachable (%s); claimed messages are still sent and their outcomes kept in"
                        + " the delivery journal until it answers", why);
            } else if (now - lastLine >= REMINDER.toNanos()) {
                lastLine = now;
                LOG.warnf("database still unreachable after %d s; %d outcomes waiting to be stored",
                        (now - since) / 1_000_000_000L, left);
            }
        }
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
