package io.carteiro.delivery;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;

/**
 * Re-runs a whole transaction that MariaDB chose as a deadlock victim (SQLSTATE 40001): outcome writes of several
 * sender loops and the claims of others lock the same index ranges of {@code outbound_message}, and a victim's
 * rolled-back outcomes would otherwise leave delivered messages "sending" until their lease ends and send them again.
 */
final class DeadlockRetry {

    /**
     * Enough for Galera with writers on several nodes, where two claims of the same rows on different nodes both
     * succeed locally and one fails certification at COMMIT, and may lose again on the next try until the winner's
     * write set has been applied on its node (the Galera test saw such transactions lose five times in a row).
     */
    static final int ATTEMPTS = 10;

    private DeadlockRetry() {
    }

    /** Runs {@code transaction} (which must start and end its own transaction) up to {@value #ATTEMPTS} times. */
    static void run(Runnable transaction) {
        call(() -> {
            transaction.run();
            return null;
        });
    }

    /** As {@link #run}, returning the transaction's result. */
    static <T> T call(java.util.function.Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isDeadlock(e)) {
                    throw e;
                }
                try {
                    // growing and jittered, so that two losers do not collide again in step: 10 ms … about 1 s
                    long base = Math.min(1000L, 10L << Math.min(attempt - 1, 7));
                    Thread.sleep(base / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(base));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Whether the transaction was rolled back for a reason that running it again cures: a deadlock victim (40001),
     * a Galera certification failure (reported as a deadlock at COMMIT, which the transaction manager attaches to
     * its RollbackException as a suppressed exception), or a transaction lost when the driver failed over to
     * another server (25S03). The driver gives 25S03 also when the link failed during COMMIT, whose result is then
     * unknown; the transactions run here stand that: a claim committed unseen leaves its rows claimed until their
     * lease ends (late, not lost), and outcome writes are idempotent.
     */
    static boolean isDeadlock(Throwable e) {
        return anyCause(e, t -> t instanceof SQLTransactionRollbackException || sqlState(t).startsWith("40")
                || sqlState(t).equals("25S03"));
    }

    /**
     * Whether the link to the server broke (SQL state class 08, a transaction lost in the driver's failover, 25S03):
     * the statement may be fine, the connection it ran on is not.
     */
    static boolean isLinkLost(Throwable e) {
        return anyCause(e, t -> t instanceof java.sql.SQLNonTransientConnectionException
                || t instanceof java.sql.SQLTransientConnectionException || t instanceof java.net.SocketException
                || sqlState(t).startsWith("08") || sqlState(t).equals("25S03"));
    }

    /**
     * Whether the server chose this transaction as the loser among concurrent ones (a deadlock victim, a lost
     * certification, MariaDB's lock-wait timeout 1205): the server answered, and the work can simply run again.
     */
    static boolean isConflict(Throwable e) {
        return !isLinkLost(e) && (isDeadlock(e)
                || anyCause(e, t -> t instanceof SQLException s && s.getErrorCode() == 1205));
    }

    private static String sqlState(Throwable t) {
        return t instanceof SQLException s && s.getSQLState() != null ? s.getSQLState() : "";
    }

    /** Whether {@code test} holds for the failure, one of its causes or anything suppressed along the way. */
    private static boolean anyCause(Throwable e, java.util.function.Predicate<Throwable> test) {
        return anyCause(e, test, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    private static boolean anyCause(Throwable t, java.util.function.Predicate<Throwable> test,
                                    java.util.Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        if (test.test(t)) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (anyCause(suppressed, test, seen)) {
                return true;
            }
        }
        return anyCause(t.getCause(), test, seen);
    }
}
