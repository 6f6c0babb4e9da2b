package io.carteiro.campaigns;

import io.carteiro.text.LineText;

import java.util.Optional;

/**
 * Header values built from input (subjects, names, addresses) never carry a line break or another control character
 * into a message header: what an editor types is refused at save time ({@link #problem}), what is built from
 * subscriber data at send time is cleaned ({@link #singleLine}).
 */
final class HeaderValues {

    private HeaderValues() {
    }

    /** Why the value cannot go into a header, or empty when it can (null and empty values can). */
    static Optional<String> problem(String s) {
        return LineText.HEADER.problem(s);
    }

    /** The value on one line: control characters dropped, tabs become spaces, runs of spaces collapse. */
    static String singleLine(String s) {
        return s == null ? null : LineText.HEADER.strip(s.replaceAll("[\\r\\n\\t]+", " ")).replaceAll(" {2,}", " ")
                .strip();
    }

    /** A display name safe inside a quoted string of a header. */
    static String quoted(String s) {
        return "\"" + singleLine(s).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
