package io.carteiro.delivery.mtasts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the body of {@code /.well-known/mta-sts.txt} (RFC 8461 §3.2) strictly: {@code key: value} lines ended by LF
 * or CRLF, {@code version: STSv1}, a known {@code mode}, a {@code max_age}, and at least one {@code mx} unless the mode
 * is {@code none}. Unknown keys are ignored as the RFC says; a known key given twice (other than {@code mx}) is
 * refused, since which of the two the sender obeyed would otherwise be a guess.
 */
final class PolicyText {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,10}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Set<String> SINGLE = Set.of("version", "mode", "max_age");

    private PolicyText() {
    }

    /** The parse: a policy, or why the body is not one. */
    sealed interface Parse {
        record Valid(StsPolicy policy) implements Parse {
        }

        record Invalid(String reason) implements Parse {
        }
    }

    static Parse parse(byte[] body) {
        for (byte b : body) {
            if (b < 0 || b < 0x20 && b != '\t' && b != '\r' && b != '\n' || b == 0x7f) {
                return invalid("the policy holds a byte that is not printable ASCII (0x"
                        + Integer.toHexString(b & 0xff) + ")");
            }
        }
        String text = new String(body, StandardCharsets.US_ASCII);
        String[] lines = text.split("\n", -1);
        String version = null;
        String mode = null;
        String maxAge = null;
        List<String> mx = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.indexOf('\r') >= 0) {
                return invalid("line " + (n + 1) + " holds a CR that does not end it");
            }
            if (line.isEmpty() && n == lines.length - 1) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return invalid("line " + (n + 1) + " is not 'key: value'");
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1).strip();
            if (!KEY.matcher(key).matches()) {
                return invalid("line " + (n + 1) + " has a malformed key '" + StsRecord.shorten(key) + "'");
            }
            if (value.isEmpty()) {
                return invalid("line " + (n + 1) + " (" + key + ") has no value");
            }
            if (SINGLE.contains(key) && !seen.add(key)) {
                return invalid("'" + key + "' is given more than once");
            }
            switch (key) {
                case "version" -> version = value;
                case "mode" -> mode = value;
                case "max_age" -> maxAge = value;
                case "mx" -> mx.add(value);
                default -> {
                    // RFC 8461 §3.2: unknown fields are ignored (future extensions)
                }
            }
        }
        if (version == null) {
            return invalid("no 'version' field");
        }
        if (!version.equals("STSv1")) {
            return invalid("version '" + StsRecord.shorten(version) + "' is not STSv1");
        }
        if (mode == null) {
            return invalid("no 'mode' field");
        }
        Optional<StsPolicy.Mode> parsedMode = StsPolicy.Mode.fromWire(mode);
        if (parsedMode.isEmpty()) {
            return invalid("mode '" + StsRecord.shorten(mode) + "' is not enforce, testing or none");
        }
        if (maxAge == null) {
            return invalid("no 'max_age' field");
        }
        if (!MAX_AGE.matcher(maxAge).matches()) {
            return invalid("max_age '" + StsRecord.shorten(maxAge) + "' is not a number of seconds");
        }
        // RFC 8461 §3.2 caps max_age at 31557600; a larger value is read as the cap rather than refused
        long seconds = Math.min(Long.parseLong(maxAge), StsPolicy.MAX_AGE_LIMIT);
        List<String> patterns = new ArrayList<>();
        for (String pattern : mx) {
            String normal = pattern.toLowerCase(Locale.ROOT);
            if (normal.endsWith(".")) {
                normal = normal.substring(0, normal.length() - 1);
            }
            if (!validPattern(normal)) {
                return invalid("mx '" + StsRecord.shorten(pattern) + "' is not a host name or *.domain pattern");
            }
            patterns.add(normal);
        }
        if (patterns.isEmpty() && parsedMode.get() != StsPolicy.Mode.NONE) {
            return invalid("mode " + mode + " needs at least one 'mx' field");
        }
        return new Parse.Valid(new StsPolicy(parsedMode.get(), patterns, seconds));
    }

    /** A host name of at least two labels, or {@code *.} and one (RFC 8461 §3.2: the wildcard is one label). */
    static boolean validPattern(String pattern) {
        String host = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static Parse invalid(String reason) {
        return new Parse.Invalid(reason);
    }
}
