package io.carteiro.text;

import java.util.Optional;

/**
 * What may appear in a one-line value that someone typed, by kind of value. No kind allows CR, LF, NUL or another
 * C0 control, DEL, a C1 control (U+0080–U+009F) or the Unicode line and paragraph separators: they split log lines,
 * CSV rows and mail headers ({@code Subject: hi^@^KBcc: …}) and show as nothing on a page. The kinds differ where
 * the value goes:
 * <ul>
 *   <li>{@link #NAME} — a person's name, typed by anyone on a public form: also no tab and no bidirectional
 *   embedding, override or isolate controls (U+202A–U+202E, U+2066–U+2069), which can make a name read backwards or
 *   hide part of it in the admin pages and exports. The Unicode bidi algorithm lays out mixed Arabic, Hebrew and Latin
 *   names without them.</li>
 *   <li>{@link #HEADER} — a subject or sender name an editor writes: a tab is folding white space in a header
 *   (RFC 5322) and is sent as a space; bidi controls are the editor's choice for right-to-left text.</li>
 * </ul>
 */
public enum LineText {

    NAME(false, false),
    HEADER(true, true);

    private final boolean tab;
    private final boolean bidi;

    LineText(boolean tab, boolean bidi) {
        this.tab = tab;
        this.bidi = bidi;
    }

    /** Why {@code value} may not be stored as this kind (naming the first character at fault), or empty if it may. */
    public Optional<String> problem(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (forbidden(c)) {
                return Optional.of("holds " + describe(c) + " at position " + (i + 1));
            }
        }
        return Optional.empty();
    }

    /** The value with every character this kind forbids removed; for text already stored or built from data. */
    public String strip(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (forbidden(c)) {
                if (out == null) {
                    out = new StringBuilder(value.length()).append(value, 0, i);
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? value : out.toString();
    }

    private boolean forbidden(char c) {
        if (c == '\t') {
            return !tab;
        }
        return c < 0x20 || c >= 0x7F && c <= 0x9F || c == '\u2028' || c == '\u2029'
                || !bidi && (c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069');
    }

    private static String describe(char c) {
        String code = String.format("U+%04X", (int) c);
        return switch (c) {
            case '\r' -> "a carriage return (" + code + ")";
            case '\n' -> "a line feed (" + code + ")";
            case '\t' -> "a tab (" + code + ")";
            case '\0' -> "a NUL character (" + code + ")";
            default -> c >= '\u202A' && c <= '\u2069' ? "a bidirectional text control (" + code + ")"
                    : c == '\u2028' || c == '\u2029' ? "a line or paragraph separator (" + code + ")"
                    : "a control character (" + code + ")";
        };
    }
}
