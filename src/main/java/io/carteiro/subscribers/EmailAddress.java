package io.carteiro.subscribers;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * A syntactically valid mailbox address (RFC 5321 §4.1.2 / RFC 5322 §3.4.1 addr-spec, RFC 6531 UTF-8 local parts),
 * with its domain in A-label (punycode) form.
 *
 * <p>{@link #value()} is the address as given with only the domain converted; {@link #key()} is its lower-case form,
 * which is what identifies a subscriber (two addresses differing only in case are the same subscriber).
 */
public record EmailAddress(String localPart, String domain) {

    static final int MAX_LOCAL_PART = 64;
    static final int MAX_DOMAIN = 253;
    static final int MAX_ADDRESS = 254;

    /** The result of parsing: an address, or the reason the text is not one. */
    public sealed interface Parsed permits Valid, Invalid {
    }

    public record Valid(EmailAddress address) implements Parsed {
    }

    public record Invalid(String reason) implements Parsed {
    }

    public static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            return new Invalid("e-mail address is empty");
        }
        String trimmed = text.strip();
        int at = trimmed.lastIndexOf('@');
        if (at <= 0 || at == trimmed.length() - 1) {
            return new Invalid("'" + shorten(trimmed) + "' is not an e-mail address (expected local-part@domain)");
        }
        String local = trimmed.substring(0, at);
        String domainText = trimmed.substring(at + 1);
        Optional<String> localProblem = checkLocalPart(local);
        if (localProblem.isPresent()) {
            return new Invalid(localProblem.get() + " in '" + shorten(trimmed) + "'");
        }
        String asciiDomain = domainText;
        if (!isLdhOrDot(domainText)) { // IDN.toASCII leaves such a name as it is; checkDomain checks it
            try {
                asciiDomain = IDN.toASCII(domainText, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                return new Invalid("domain '" + shorten(domainText) + "' is not a valid domain name");
            }
        }
        Optional<String> domainProblem = checkDomain(asciiDomain);
        if (domainProblem.isPresent()) {
            return new Invalid(domainProblem.get() + " in '" + shorten(trimmed) + "'");
        }
        if (local.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1 + asciiDomain.length() > MAX_ADDRESS) {
            return new Invalid("address is longer than " + MAX_ADDRESS + " characters");
        }
        return new Valid(new EmailAddress(local, asciiDomain));
    }

    /** Parses or throws {@link IllegalArgumentException} with the reason. */
    public static EmailAddress of(String text) {
        Parsed parsed = parse(text);
        if (parsed instanceof Invalid invalid) {
            throw new IllegalArgumentException(invalid.reason());
        }
        return ((Valid) parsed).address();
    }

    public String value() {
        return localPart + "@" + domain;
    }

    public String key() {
        return value().toLowerCase(Locale.ROOT);
    }

    public String domainKey() {
        return domain.toLowerCase(Locale.ROOT);
    }

    /**
     * The mailbox that receives this address's mail, in lower case: the key without a subaddress (RFC 5233), so
     * {@code Ana+news@example.org} and {@code ana+0@example.org} are both {@code ana@example.org}. Limits that protect
     * a person's inbox count per mailbox, not per address.
     */
    public String mailboxKey() {
        int plus = localPart.startsWith("\"") ? -1 : localPart.indexOf('+');
        return plus > 0 ? (localPart.substring(0, plus) + "@" + domain).toLowerCase(Locale.ROOT) : key();
    }

    @Override
    public String toString() {
        return value();
    }

    private static Optional<String> checkLocalPart(String local) {
        if (local.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LOCAL_PART) {
            return Optional.of("local part is longer than " + MAX_LOCAL_PART + " octets");
        }
        if (local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"")) {
            return checkQuotedString(local.substring(1, local.length() - 1));
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return Optional.of("local part may not start or end with a dot or hold two dots in a row");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (!isAtext(c) && c != '.') {
                return Optional.of("character '" + printable(c) + "' is not allowed in the local part");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> checkQuotedString(String inner) {
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= inner.length() || inner.charAt(i) < 32 || inner.charAt(i) == 127) {
                    return Optional.of("broken escape in the quoted local part");
                }
            } else if (c == '"' || c < 32 || c == 127) {
                return Optional.of("character '" + printable(c) + "' is not allowed in a quoted local part");
            }
        }
        return Optional.empty();
    }

    /** Only letters, digits, hyphens and dots: already an A-label name (or an invalid one checkDomain names). */
    private static boolean isLdhOrDot(String domain) {
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> checkDomain(String domain) {
        if (domain.length() > MAX_DOMAIN) {
            return Optional.of("domain is longer than " + MAX_DOMAIN + " characters");
        }
        if (!domain.contains(".")) {
            return Optional.of("domain '" + domain + "' has no dot (a public domain such as example.org is needed)");
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty()) {
                return Optional.of("domain '" + shorten(domain) + "' has an empty label");
            }
            if (label.length() > 63) {
                return Optional.of("a domain label is longer than 63 characters");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                return Optional.of("domain label '" + label + "' starts or ends with a hyphen");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                    return Optional.of("character '" + printable(c) + "' is not allowed in a domain");
                }
            }
        }
        return Optional.empty();
    }

    /** RFC 5322 atext, widened by RFC 6532 to any non-ASCII character. */
    private static boolean isAtext(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0
                || c > 127 && !Character.isWhitespace(c) && !Character.isISOControl(c);
    }

    private static String printable(char c) {
        return c < 32 || c == 127 ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
