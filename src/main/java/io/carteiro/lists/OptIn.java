package io.carteiro.lists;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.Locale;

/** How a new subscriber joins a list: at once (single) or after confirming by e-mail (double). */
public enum OptIn {
    SINGLE, DOUBLE;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code single} or {@code double} (any case); anything else is refused with the allowed values. */
    @JsonCreator
    public static OptIn parse(String text) {
        for (OptIn mode : values()) {
            if (mode.value().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("optIn must be 'single' or 'double', not '" + text + "'");
    }

    /** Stores the mode as its lower-case name, as the schema's check constraint expects. */
    @Converter(autoApply = true)
    static class Column implements AttributeConverter<OptIn, String> {
        @Override
        public String convertToDatabaseColumn(OptIn mode) {
            return mode == null ? null : mode.value();
        }

        @Override
        public OptIn convertToEntityAttribute(String text) {
            return text == null ? null : parse(text);
        }
    }
}
