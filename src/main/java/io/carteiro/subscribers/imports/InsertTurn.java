package io.carteiro.subscribers.imports;

import io.carteiro.subscribers.SubscriberBatches;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps the new subscribers of a file in file order when batches are written side by side: a batch runs its
 * subscriber INSERT (which takes the ids) only after the batch before it has run its own, so ids, exports and
 * campaign order follow the file. Only the INSERT statement waits; the rest of each batch still overlaps.
 */
final class InsertTurn implements SubscriberBatches.InsertOrder {

    /** A turn with nobody before it. */
    static InsertTurn first() {
        return new InsertTurn(CompletableFuture.completedFuture(null));
    }

    private final CompletableFuture<Void> before;
    private final CompletableFuture<Void> mine = new CompletableFuture<>();

    private InsertTurn(CompletableFuture<Void> before) {
        this.before = before;
    }

    /** The turn of the batch after this one. */
    InsertTurn next() {
        return new InsertTurn(mine);
    }

    /** Waits until the batch before has inserted (or given up its turn); false when that takes over {@code limit}. */
    boolean await(Duration limit) {
        try {
            before.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the batch before to insert", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // never: turns are only completed normally
        }
    }

    /** Lets the next batch insert; called once this batch has inserted, or when it will not (again) try. */
    void pass() {
        mine.complete(null);
    }

    /** Waits for the batch before, or rolls this batch back to be written again alone when that takes too long. */
    @Override
    public void awaitTurn() {
        if (!await(ImportRun.TURN_TIMEOUT)) {
            throw new ImportRun.WriteAgainAlone("the batch before took longer than " + ImportRun.TURN_TIMEOUT
                    + " to insert its subscribers", null);
        }
    }

    @Override
    public void passTurn() {
        pass();
    }
}
