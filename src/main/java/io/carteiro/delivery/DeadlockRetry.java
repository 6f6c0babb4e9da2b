package io.carteiro.delivery;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;

/**
 * Re-runs a whole transaction that MariaDB chose as a deadlock victim (SQLSTATE 40001): outcome writes of several
 * sender loops and the claims of others lock the same index ranges of {@code outbound_message}, and a victim's
 * rolled-back outcomes would otherwise leave delivered messages "sending" until their lease ends and send them again.
 */
final class DeadlockRetry {

    static final int ATTEMPTS = 5;

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
                    Thread.sleep(attempt * 10L);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static boolean isDeadlock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransactionRollbackException
                    || t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }
}
