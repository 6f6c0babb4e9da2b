package io.carteiro.delivery.smtp;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMTP reply (RFC 5321 §4.2) with its RFC 3463 enhanced status code when the server gave one.
 *
 * @param code           the three-digit reply code
 * @param enhancedStatus e.g. {@code 5.1.1}, or null
 * @param text           the reply text of all lines joined with a space, without code and enhanced status
 */
public record SmtpReply(int code, String enhancedStatus, String text) {

    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s+|$)");

    public boolean positive() {
        return code >= 200 && code < 400;
    }

    public boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean permanentFailure() {
        return code >= 500;
    }

    /** Parses the lines of one reply (each still starting with the code). */
    public static SmtpReply parse(List<String> lines) {
        int code = Integer.parseInt(lines.get(0).substring(0, 3));
        String enhanced = null;
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            String rest = line.length() > 4 ? line.substring(4) : "";
            Matcher m = ENHANCED.matcher(rest);
            if (m.find() && m.group(1).charAt(0) == Character.forDigit(code / 100, 10)) {
                if (enhanced == null) {
                    enhanced = m.group(1) + "." + m.group(2) + "." + m.group(3);
                }
                rest = rest.substring(m.end());
            }
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(rest.strip());
        }
        return new SmtpReply(code, enhanced, text.toString());
    }

    @Override
    public String toString() {
        return code + (enhancedStatus == null ? "" : " " + enhancedStatus) + " " + text;
    }
}
