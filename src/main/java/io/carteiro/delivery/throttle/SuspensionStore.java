package io.carteiro.delivery.throttle;

import java.time.Instant;
import java.util.Map;

/**
 * Where suspensions are kept so that every instance honours them and a restart does not forget them (the engine
 * implements it on the database).
 */
public interface SuspensionStore {

    /** Records that {@code destination} (a {@code mx:} or {@code domain:} key) gets no connections until then. */
    void suspend(String destination, Instant until, String reason);

    /** Every suspension still in force at {@code now}, by destination key. */
    Map<String, Instant> active(Instant now);
}
