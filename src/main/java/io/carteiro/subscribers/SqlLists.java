package io.carteiro.subscribers;

/** Placeholder lists for set-based statements ({@code IN (?, ?, ?)}, multi-row {@code VALUES}). */
public final class SqlLists {

    private SqlLists() {
    }

    public static String marks(int count) {
        return repeat("?", count);
    }

    /** {@code count} copies of {@code tuple} joined by commas, e.g. {@code (?, ?), (?, ?)}. */
    public static String repeat(String tuple, int count) {
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
