package io.carteiro.delivery.mtasts;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/** The key a recipient domain is cached under: lower-case A-labels without a trailing dot (the deliverability checks
 * validate domains the same way). */
public final class PolicyDomain {

    private PolicyDomain() {
    }

    /** Empty for what is not a domain name (an address literal, an empty or malformed name). */
    public static Optional<String> key(String domain) {
        if (domain == null) {
            return Optional.empty();
        }
        String name = domain.strip();
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        try {
            name = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException notADomain) {
            return Optional.empty();
        }
        return !name.startsWith("*.") && PolicyText.validPattern(name) ? Optional.of(name) : Optional.empty();
    }
}
