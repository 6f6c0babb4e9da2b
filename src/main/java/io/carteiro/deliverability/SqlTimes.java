package io.carteiro.deliverability;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** A DATETIME(6) column as native queries return it (Timestamp or LocalDateTime, by driver version), as an Instant. */
final class SqlTimes {

    private SqlTimes() {
    }

    /** The value (UTC, as every session runs) as an instant; null stays null. */
    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        return (Instant) value;
    }
}
