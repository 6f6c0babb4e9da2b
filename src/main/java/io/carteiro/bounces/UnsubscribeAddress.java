package io.carteiro.bounces;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code mailto:} unsubscribe address of a message ({@code unsubscribe-<token>@<bounce domain>}), which carries
 * the same signed token as the message's VERP return path, so only someone who received the message can use it.
 */
public final class UnsubscribeAddress {

    static final String PREFIX = "unsubscribe-";
    private static final String VERP_PREFIX = "b-";

    private UnsubscribeAddress() {
    }

    /** The unsubscribe address for a message whose return path is {@code b-<token>@domain}. */
    public static String forReturnPath(String returnPath) {
        if (returnPath == null || !returnPath.toLowerCase(Locale.ROOT).startsWith(VERP_PREFIX)) {
            throw new IllegalArgumentException("not a VERP return path: " + returnPath);
        }
        return PREFIX + returnPath.substring(VERP_PREFIX.length());
    }

    /** The return path an unsubscribe address corresponds to, when it is one. */
    static Optional<String> asReturnPath(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String a = address.strip();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        if (!a.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            return Optional.empty();
        }
        return Optional.of(VERP_PREFIX + a.substring(PREFIX.length()));
    }
}
