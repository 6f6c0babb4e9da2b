package io.carteiro.bounces;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** RFC 3463 enhanced status codes and SMTP reply codes as found in reports and diagnostics. */
final class EnhancedStatus {

    private static final Pattern STATUS = Pattern.compile("^[245]\\.\\d{1,3}\\.\\d{1,3}$");
    private static final Pattern IN_TEXT = Pattern.compile("(?<![\\d.])([245]\\.\\d{1,3}\\.\\d{1,3})(?![\\d.])");
    private static final Pattern REPLY_CODE = Pattern.compile("(?<!\\d)([245]\\d\\d)(?:[ :-]|$)");

    private EnhancedStatus() {
    }

    static boolean isValid(String status) {
        return status != null && STATUS.matcher(status).matches();
    }

    static Optional<String> find(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = IN_TEXT.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The first three-digit SMTP reply code in a diagnostic such as {@code smtp; 550 5.1.1 ...}. */
    static Optional<Integer> findReplyCode(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = REPLY_CODE.matcher(text);
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /** Whether the status names no particular subject and detail (x.0.0), so a diagnostic may say more. */
    static boolean unspecific(String status) {
        return status == null || status.endsWith(".0.0");
    }

    /**
     * What a failure with this status means for the recipient: 5.7.x is a policy block, 5.2.2 (mailbox full) and
     * every 4.x.x are temporary, every other 5.x.x is permanent.
     */
    static BounceKind kindOf(String status) {
        if (!isValid(status)) {
            return BounceKind.UNKNOWN;
        }
        if (status.startsWith("4.")) {
            return BounceKind.SOFT;
        }
        if (status.startsWith("5.7.")) {
            return BounceKind.BLOCKED;
        }
        if (status.equals("5.2.2")) {
            return BounceKind.SOFT;
        }
        if (status.startsWith("5.")) {
            return BounceKind.HARD;
        }
        return BounceKind.UNKNOWN;
    }
}
