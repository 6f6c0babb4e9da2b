package io.carteiro.text;

import java.util.regex.Pattern;

/**
 * Cells of the CSV files Carteiro writes, made inert for spreadsheets: a cell that a spreadsheet would read as a
 * formula ({@code =}, {@code +}, {@code -}, {@code @}, tab or CR first, as the OWASP "CSV injection" advice lists)
 * gets a leading apostrophe, which spreadsheets show as text and do not evaluate. Plain numbers ({@code -12.5})
 * stay as they are, since no spreadsheet runs them.
 *
 * <p>The change is reversible, so Carteiro's own exports import again unchanged: a cell already starting with
 * apostrophes before such a character gets one more, and {@link #restore} takes exactly one away.
 */
public final class CsvCells {

    /** One or more apostrophes, then a character a spreadsheet treats as the start of a formula. */
    private static final Pattern ESCAPED = Pattern.compile("'+[=+\\-@\t\r].*", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("[+-]?[0-9]+(\\.[0-9]+)?");

    private CsvCells() {
    }

    /** The cell as written to a CSV file: unchanged, or with an apostrophe in front when it could run as a formula. */
    public static String neutralise(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        char first = cell.charAt(0);
        boolean formula = (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
                || first == '\r') && !NUMBER.matcher(cell).matches();
        return formula || first == '\'' && ESCAPED.matcher(cell).matches() ? "'" + cell : cell;
    }

    /** The value a cell of an exported file stood for: {@link #neutralise} undone. */
    public static String restore(String cell) {
        return cell != null && !cell.isEmpty() && cell.charAt(0) == '\'' && ESCAPED.matcher(cell).matches()
                ? cell.substring(1) : cell;
    }
}
