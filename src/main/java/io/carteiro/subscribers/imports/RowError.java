package io.carteiro.subscribers.imports;

/**
 * A problem with one data row: {@code row} counts data rows from 1 (the header is row 0), as the import's progress
 * does; {@link #line()} is what a report shows, the line of the file with the header as line 1 (a row of several
 * lines, quoted line breaks, is named by where it starts counted in rows).
 */
record RowError(long row, String column, String reason) {

    /** The row's number counting the header line, as a person counts the lines of the file they uploaded. */
    @com.fasterxml.jackson.annotation.JsonProperty("line")
    public long line() {
        return row + 1;
    }
}
