package io.carteiro.bounces;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Reads a time column of a native query, whichever Java type the driver returns it as (times are UTC). */
final class SqlTimes {

    private SqlTimes() {
    }

    static Instant instant(Object value) {
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC);
        }
        return (Instant) value;
    }
}
