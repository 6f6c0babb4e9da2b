package io.carteiro.subscribers;

/**
 * A subscriber search: every given filter must match. Results come in id order, {@code after} the last id of the
 * previous page (keyset paging, so page 1,000 costs what page 1 does).
 *
 * @param email       exact address, compared case-insensitively
 * @param emailPrefix the start of the address (case-insensitive)
 * @param namePrefix  the start of the name (case-insensitive)
 * @param attrKey     an attribute that must equal {@code attrValue} (compared as text)
 * @param limit       page size; 0 takes the configured default
 */
public record SubscriberQuery(String email, String emailPrefix, String namePrefix, SubscriberStatus status,
                              Long listId, String attrKey, String attrValue, long after, int limit) {

    public static SubscriberQuery all() {
        return new SubscriberQuery(null, null, null, null, null, null, null, 0, 0);
    }

    public SubscriberQuery after(long lastId) {
        return new SubscriberQuery(email, emailPrefix, namePrefix, status, listId, attrKey, attrValue, lastId, limit);
    }

    public SubscriberQuery limit(int size) {
        return new SubscriberQuery(email, emailPrefix, namePrefix, status, listId, attrKey, attrValue, after, size);
    }

    /**
     * Parses an attribute filter written {@code key:value} or {@code key=value}; returns {key, value}, or throws
     * {@link IllegalArgumentException} naming the expected form.
     */
    public static String[] parseAttributeFilter(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        int colon = text.indexOf(':');
        int equals = text.indexOf('=');
        int split = colon < 0 ? equals : equals < 0 ? colon : Math.min(colon, equals);
        if (split <= 0) {
            throw new IllegalArgumentException("attr must be written key:value, e.g. city:Lisbon");
        }
        return new String[] {text.substring(0, split).strip(), text.substring(split + 1).strip()};
    }
}
