package io.carteiro.campaigns;

/** Header values built from input (subjects, names, addresses) never carry a line break into a message header. */
final class HeaderValues {

    private HeaderValues() {
    }

    static boolean hasLineBreak(String s) {
        return s != null && (s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0);
    }

    /** The value on one line: CR, LF and tabs become spaces, runs of spaces collapse. */
    static String singleLine(String s) {
        return s == null ? null : s.replaceAll("[\\r\\n\\t]+", " ").replaceAll(" {2,}", " ").strip();
    }

    /** A display name safe inside a quoted string of a header. */
    static String quoted(String s) {
        return "\"" + singleLine(s).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
