package io.carteiro.web;

/**
 * The one way a value someone else controls (a sign-in name, an SMTP address, a remote server's message) goes into
 * the log: control characters are written as escapes, so a value with a line break cannot start a forged log line
 * (issue 12.2), and very long values are cut.
 */
public final class LogSafe {

    /** Longest value written whole; the rest is counted, not shown. */
    static final int MAX = 200;

    private LogSafe() {
    }

    /** The value in double quotes, escaped; {@code null} for null. */
    public static String quote(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 8).append('"');
        int shown = 0;
        for (int i = 0; i < text.length() && shown < MAX; i++, shown++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.getType(c)
                            == Character.FORMAT) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (text.length() > MAX) {
            out.append("…(").append(text.length() - MAX).append(" more characters)");
        }
        return out.toString();
    }
}
