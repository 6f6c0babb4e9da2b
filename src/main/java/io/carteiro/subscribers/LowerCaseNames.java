package io.carteiro.subscribers;

import jakarta.persistence.AttributeConverter;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The schema and the API spell enum values in lower case ({@code confirmed}); this maps them both ways. */
final class LowerCaseNames {

    private LowerCaseNames() {
    }

    static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Parses a lower-case name (any case accepted), or says which values are allowed. */
    static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        String wanted = text == null ? "" : text.strip();
        for (E value : type.getEnumConstants()) {
            if (value.name().equalsIgnoreCase(wanted)) {
                return value;
            }
        }
        throw new IllegalArgumentException(what + " must be one of " + allowed(type) + ", not '" + text + "'");
    }

    static <E extends Enum<E>> String allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(LowerCaseNames::of).collect(Collectors.joining(", "));
    }

    /** Base of the JPA converters that store an enum as its lower-case name. */
    abstract static class Column<E extends Enum<E>> implements AttributeConverter<E, String> {
        private final Class<E> type;

        Column(Class<E> type) {
            this.type = type;
        }

        @Override
        public String convertToDatabaseColumn(E value) {
            return value == null ? null : of(value);
        }

        @Override
        public E convertToEntityAttribute(String text) {
            return text == null ? null : parse(type, text, type.getSimpleName());
        }
    }
}
