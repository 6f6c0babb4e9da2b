package io.carteiro.engagement;

import java.net.InetAddress;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a tracking request says about itself, read once when it arrives and kept as bits on the hit (neither the
 * address nor the user agent is stored): HEAD instead of GET, a scanner's or a privacy proxy's user agent or
 * address, a prefetch header, no user agent at all.
 */
final class HitSignals {

    static final int HEAD = 1;
    static final int SCANNER_AGENT = 1 << 1;
    static final int SCANNER_ADDRESS = 1 << 2;
    static final int PREFETCH = 1 << 3;
    static final int PROXY_AGENT = 1 << 4;
    static final int PROXY_ADDRESS = 1 << 5;
    static final int NO_AGENT = 1 << 6;

    private final Pattern scannerAgents;
    private final AddressRanges scannerAddresses;
    private final Pattern proxyAgents;
    private final AddressRanges proxyAddresses;

    HitSignals(EngagementConfig.Machine config) {
        scannerAgents = anyOf(config.userAgents(), false);
        scannerAddresses = AddressRanges.parse(config.addresses().orElse(List.of()),
                "carteiro.engagement.machine.addresses");
        proxyAgents = anyOf(config.privacyProxyUserAgents(), true);
        proxyAddresses = AddressRanges.parse(config.privacyProxyAddresses(),
                "carteiro.engagement.machine.privacy-proxy-addresses");
    }

    /** The bits of one request. {@code purpose}: the Purpose / Sec-Purpose / X-Purpose / X-Moz header, if any. */
    int of(boolean head, String userAgent, InetAddress client, String purpose) {
        int bits = head ? HEAD : 0;
        if (userAgent == null || userAgent.isBlank()) {
            bits |= NO_AGENT;
        } else {
            String agent = userAgent.strip();
            if (scannerAgents != null && scannerAgents.matcher(agent).find()) {
                bits |= SCANNER_AGENT;
            }
            if (proxyAgents != null && proxyAgents.matcher(agent).matches()) {
                bits |= PROXY_AGENT;
            }
        }
        if (scannerAddresses.contains(client)) {
            bits |= SCANNER_ADDRESS;
        }
        if (proxyAddresses.contains(client)) {
            bits |= PROXY_ADDRESS;
        }
        if (purpose != null) {
            String p = purpose.toLowerCase(java.util.Locale.ROOT);
            if (p.contains("prefetch") || p.contains("preview") || p.contains("prerender")) {
                bits |= PREFETCH;
            }
        }
        return bits;
    }

    private static Pattern anyOf(List<String> expressions, boolean whole) {
        List<String> parts = expressions.stream().map(String::strip).filter(e -> !e.isEmpty())
                .map(e -> "(?:" + e + ")").toList();
        if (parts.isEmpty()) {
            return null;
        }
        String joined = String.join("|", parts);
        return Pattern.compile(whole ? "(?:" + joined + ")" : joined, Pattern.CASE_INSENSITIVE);
    }
}
