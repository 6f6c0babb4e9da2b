package io.carteiro.delivery;

import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeadlockRetryTest {

    @Test
    void outcomeWriteShouldBeRerunWhenChosenAsDeadlockVictim() {
        AtomicInteger runs = new AtomicInteger();
        DeadlockRetry.run(() -> {
            if (runs.incrementAndGet() < 3) {
                // as Narayana/Agroal wrap the driver's batch failure
                throw new IllegalStateException(new BatchUpdateException("Deadlock found when trying to get lock",
                        "40001", 1213, new int[0], new SQLTransactionRollbackException("Deadlock", "40001", 1213)));
            }
        });
        assertEquals(3, runs.get());
    }

    @Test
    void galeraCertificationFailureAtCommitShouldBeRerun() {
        AtomicInteger runs = new AtomicInteger();
        DeadlockRetry.run(() -> {
            if (runs.incrementAndGet() < 2) {
                // as GaleraClusterTest saw it: Narayana's RollbackException, the driver's error suppressed on it
                jakarta.transaction.RollbackException commit =
                        new jakarta.transaction.RollbackException("ARJUNA016053: Could not commit transaction.");
                commit.addSuppressed(new javax.transaction.xa.XAException("Error trying to transactionCommit")
                        .initCause(new SQLTransactionRollbackException("Deadlock found", "40001", 1213)));
                throw new IllegalStateException(commit);
            }
        });
        assertEquals(2, runs.get());
    }

    @Test
    void transactionLostInAFailoverShouldBeRerun() {
        AtomicInteger runs = new AtomicInteger();
        DeadlockRetry.run(() -> {
            if (runs.incrementAndGet() < 2) {
                throw new IllegalStateException(new java.sql.SQLTransientConnectionException("Driver has reconnect"
                        + " connection after a communications link failure. In progress transaction was lost",
                        "25S03"));
            }
        });
        assertEquals(2, runs.get());
    }

    @Test
    void otherFailuresShouldNotBeRetried() {
        AtomicInteger runs = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> DeadlockRetry.run(() -> {
            runs.incrementAndGet();
            throw new IllegalStateException(new SQLException("Table doesn't exist", "42S02", 1146));
        }));
        assertEquals(1, runs.get());
    }

    @Test
    void aPersistentDeadlockShouldFailAfterTheLastAttempt() {
        AtomicInteger runs = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> DeadlockRetry.run(() -> {
            runs.incrementAndGet();
            throw new IllegalStateException(new SQLTransactionRollbackException("Deadlock", "40001", 1213));
        }));
        assertEquals(DeadlockRetry.ATTEMPTS, runs.get());
    }
}
