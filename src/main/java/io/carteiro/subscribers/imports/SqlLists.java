package io.carteiro.subscribers.imports;

/** Placeholder lists for set-based statements ({@code IN (?, ?, ?)}, multi-row {@code VALUES}). */
final class SqlLists {

    private SqlLists() {
    }

    static String marks(int count) {
        return repeat("?", count);
    }

    /** {@code count} copies of {@code tuple} joined by commas, e.g. {@code (?, ?), (?, ?)}. */
    static String repeat(String tuple, int count) {
        StringBuilder sql = new StringBuilder(count * (tuple.length() + 1));
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sql.append(',');
            }
            sql.append(tuple);
        }
        return sql.toString();
    }
}
