package io.carteiro.delivery;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Lets tests (in any package) run the delivery engine as production does: started, given the time to settle a
 * message, stopped again, so that outside these calls nothing is sent (the test profile starts no engine).
 */
@ApplicationScoped
public class DeliveryTestSupport {

    @Inject
    DeliveryEngine engine;

    @Inject
    AgroalDataSource dataSource;

    /** Runs the engine until this message has left 'queued'/'sending'; returns its state. */
    public String deliver(long id) {
        QueueRows rows = new QueueRows(dataSource);
        running(() -> settled(rows.row(id).state()), Duration.ofSeconds(30), "message " + id + " was settled");
        return rows.row(id).state();
    }

    /** Runs the engine until the condition holds (or fails after {@code limit}), then stops it. */
    public void running(BooleanSupplier until, Duration limit, String what) {
        boolean started = !engine.running();
        engine.start();
        try {
            await(until, limit, what);
        } finally {
            if (started) {
                engine.stop();
            }
        }
    }

    static boolean settled(String state) {
        return !state.equals("queued") && !state.equals("sending");
    }

    /** Polls an observable condition until it holds, failing after {@code limit}. */
    public static void await(BooleanSupplier condition, Duration limit, String what) {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + limit + " waiting until " + what);
            }
            try {
                Thread.sleep(20); // polling an observable condition (a row's state) with a deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }
}
