package io.carteiro.lists;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.Locale;

/**
 * How clicks (and, when the list turns it on, opens) of a list's campaigns are tracked: not at all, counted without
 * knowing who, or per subscriber (their page, segments, the sunset rule). See docs/privacy.md for why each exists.
 */
public enum Tracking {
    OFF, AGGREGATE, SUBSCRIBER;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code off}, {@code aggregate} or {@code subscriber} (any case); anything else names the choices. */
    @JsonCreator
    public static Tracking parse(String text) {
        for (Tracking mode : values()) {
            if (mode.value().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("tracking must be 'off', 'aggregate' or 'subscriber', not '" + text + "'");
    }

    /** Stores the mode as its lower-case name, as the schema's check constraint expects. */
    @Converter(autoApply = true)
    static class Column implements AttributeConverter<Tracking, String> {
        @Override
        public String convertToDatabaseColumn(Tracking mode) {
            return mode == null ? null : mode.value();
        }

        @Override
        public Tracking convertToEntityAttribute(String text) {
            return text == null ? null : parse(text);
        }
    }
}
