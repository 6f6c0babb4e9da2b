package io.carteiro.subscribers;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The one set of limits on a subscriber's attributes, whichever way they arrive (API, admin page, CSV import, an
 * import that merges into stored attributes): at most {@link #MAX_COUNT} of them, names of 1 to 100 characters, at
 * most {@link #MAX_DEPTH} levels of
 * nesting, and at most {@code carteiro.subscribers.max-attributes-chars} characters of JSON.
 */
@ApplicationScoped
public class AttributeLimits {

    /**
     * Levels of objects and arrays, counting the attributes object itself. MariaDB refuses a JSON value nested 32
     * levels deep (a 500 before this limit); 16 leaves room for the JSON functions that filter and export them.
     */
    public static final int MAX_DEPTH = 16;
    public static final int MAX_NAME_LENGTH = 100;
    /** The API's limit on the number of top-level attributes (SubscribersApi's {@code @Size}), held for imports too. */
    public static final int MAX_COUNT = 500;

    @Inject
    SubscribersConfig config;

    /** The longest attributes document accepted, in characters of JSON. */
    public int maxChars() {
        return config.maxAttributesChars();
    }

    /** Why these attributes, written as {@code json}, cannot be stored; empty when they can (null: none). */
    public Optional<String> problem(Map<String, ?> attributes, String json) {
        if (attributes == null) {
            return Optional.empty();
        }
        if (attributes.size() > MAX_COUNT) {
            return Optional.of("attributes holds more than " + MAX_COUNT + " attributes");
        }
        for (String key : attributes.keySet()) {
            if (key == null || key.isBlank() || key.length() > MAX_NAME_LENGTH) {
                return Optional.of("attribute names must be 1 to " + MAX_NAME_LENGTH + " characters long");
            }
        }
        if (deeperThan(attributes, MAX_DEPTH)) {
            return Optional.of("attributes are nested more than " + MAX_DEPTH + " levels deep");
        }
        if (json != null && json.length() > config.maxAttributesChars()) {
            return Optional.of("attributes are larger than " + config.maxAttributesChars() + " characters of JSON");
        }
        return Optional.empty();
    }

    /** Whether the value holds objects or arrays more than {@code levels} deep; stops as soon as it knows. */
    private static boolean deeperThan(Object value, int levels) {
        Collection<?> children = value instanceof Map<?, ?> map ? map.values()
                : value instanceof Collection<?> list ? list : null;
        if (children == null) {
            return false;
        }
        if (levels == 0) {
            return true;
        }
        for (Object child : children) {
            if (deeperThan(child, levels - 1)) {
                return true;
            }
        }
        return false;
    }
}
