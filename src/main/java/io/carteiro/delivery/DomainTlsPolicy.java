package io.carteiro.delivery;

import java.util.List;
import java.util.Locale;

/**
 * What a recipient domain publishes about TLS for mail sent to it (MTA-STS, RFC 8461; DANE could be another
 * source), as the engine needs it: whether a verified certificate is required, and which MX hosts are allowed.
 */
public sealed interface DomainTlsPolicy {

    /** The domain publishes nothing (or no policy could be had and none was cached): local settings decide. */
    record None() implements DomainTlsPolicy {
    }

    /**
     * {@code mode: testing}: deliver as usual, but record (and report) when the MX or its certificate does not
     * satisfy the policy.
     */
    record Testing(List<String> mxPatterns) implements DomainTlsPolicy {
    }

    /**
     * {@code mode: enforce}: deliver only to an MX matching one of the patterns, over TLS with a certificate that
     * validates and names that MX; otherwise defer.
     */
    record Enforce(List<String> mxPatterns) implements DomainTlsPolicy {
    }

    /**
     * Whether {@code mxHost} matches one of the policy's {@code mx} patterns (RFC 8461 §4.1: exact, or a leading
     * {@code *.} standing for exactly one label). A {@link None} policy allows every host.
     */
    default boolean allowsMx(String mxHost) {
        List<String> patterns;
        if (this instanceof Testing testing) {
            patterns = testing.mxPatterns();
        } else if (this instanceof Enforce enforce) {
            patterns = enforce.mxPatterns();
        } else {
            patterns = null;
        }
        if (patterns == null) {
            return true;
        }
        String host = stripDot(mxHost.toLowerCase(Locale.ROOT));
        for (String raw : patterns) {
            String pattern = stripDot(raw.toLowerCase(Locale.ROOT));
            if (pattern.startsWith("*.")) {
                String suffix = pattern.substring(1);
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot).equals(suffix)) {
                    return true;
                }
            } else if (host.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
