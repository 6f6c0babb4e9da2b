package io.carteiro.delivery;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;

/** Lets tests in other packages run the sender until a message is processed. */
@ApplicationScoped
public class DeliveryTestSupport {

    @Inject
    QueueSender sender;

    @Inject
    AgroalDataSource dataSource;

    /** Runs the sender until this message has left 'queued'/'sending'; returns its state. */
    public String deliver(long id) {
        QueueRows rows = new QueueRows(dataSource);
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            sender.runOnce();
            String state = rows.row(id).state();
            if (!state.equals("queued") && !state.equals("sending")) {
                return state;
            }
        }
        throw new AssertionError("message " + id + " was not processed in time");
    }
}
