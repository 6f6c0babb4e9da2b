package io.carteiro.subscribers.imports;

/** A problem with one data row: {@code row} counts data rows from 1 (the header is row 0). */
record RowError(long row, String column, String reason) {
}
