package io.carteiro.delivery;

import java.util.OptionalLong;

/**
 * Queue row ids in the form signed tokens carry them (VERP return paths, Message-IDs): base 36, lower case, without
 * leading zeros, so each id has exactly one spelling and a token cannot be varied without breaking its mac.
 */
final class RowIds {

    private RowIds() {
    }

    static String encode(long id) {
        return Long.toString(id, 36);
    }

    /** The id spelled by {@code text}, when it is the one canonical spelling of a positive id. */
    static OptionalLong decode(String text) {
        long value;
        try {
            value = Long.parseLong(text, 36);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
        return value > 0 && encode(value).equals(text) ? OptionalLong.of(value) : OptionalLong.empty();
    }
}
