package io.carteiro.delivery.throttle;

/**
 * Limits for destinations matched by a pattern: an exact domain or host ({@code gmail.com}), or a suffix pattern
 * ({@code *.google.com}, matching any name ending in {@code .google.com}); matched against the recipient domain and
 * the exchanger host.
 *
 * @param connections concurrent connections per exchanger (0 = the default)
 * @param ratePerSecond messages per second per recipient domain (0 = unlimited)
 */
public record ShapingRule(String pattern, int connections, double ratePerSecond) {

    boolean matches(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        String p = pattern.toLowerCase(java.util.Locale.ROOT);
        return p.startsWith("*.") ? n.endsWith(p.substring(1)) : n.equals(p);
    }
}
