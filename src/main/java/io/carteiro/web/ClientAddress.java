package io.carteiro.web;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Startup;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one place that says who sent a request: the address the sign-in throttle, the public forms' rate limits and
 * the consent evidence all use, and whether the request came over TLS. Forwarded headers count only when the peer
 * is a configured trusted proxy ({@link WebConfig#trustedProxies()}); then the client is the rightmost address of
 * {@code X-Forwarded-For} that is not a trusted proxy, because each proxy appends the address it saw and only the
 * part written by proxies we trust is true (a client writes whatever it likes on the left).
 */
@Startup  // a malformed trusted-proxies entry stops the start instead of the first request
@ApplicationScoped
public class ClientAddress {

    private final List<IpSubnetFilterRule> trusted;

    @Inject
    public ClientAddress(WebConfig config) {
        this(config.trustedProxies().orElse(List.of()));
    }

    ClientAddress(List<String> trustedProxies) {
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        for (String entry : trustedProxies) {
            if (!entry.isBlank()) {
                rules.add(rule(entry.strip()));
            }
        }
        this.trusted = List.copyOf(rules);
    }

    /** For helpers that build evidence from a bare request, outside CDI injection. */
    public static String of(HttpServerRequest request) {
        return Arc.container().instance(ClientAddress.class).get().address(request);
    }

    /** The client's address as text ({@code 198.51.100.7}, {@code 2001:db8::1}), or "unknown" without a peer. */
    public String address(HttpServerRequest request) {
        String peer = peer(request);
        if (peer == null) {
            return "unknown";
        }
        return resolve(peer, request.headers().getAll("X-Forwarded-For"));
    }

    /** True when the client's connection was TLS: ours, or a trusted proxy's that says so in X-Forwarded-Proto. */
    public boolean overTls(HttpServerRequest request) {
        if (request.isSSL()) {
            return true;
        }
        String peer = peer(request);
        if (peer == null || !isTrusted(peer)) {
            return false;
        }
        String proto = request.getHeader("X-Forwarded-Proto");
        if (proto == null) {
            return false;
        }
        // the first proxy (the one the browser reached) writes it first
        int comma = proto.indexOf(',');
        return (comma < 0 ? proto : proto.substring(0, comma)).strip().toLowerCase(Locale.ROOT).equals("https");
    }

    /** Whether forwarded headers from this address are believed. */
    public boolean isTrusted(String address) {
        InetAddress parsed = NetUtil.createInetAddressFromIpAddressString(address);
        if (parsed == null) {
            return false;
        }
        InetSocketAddress socket = new InetSocketAddress(parsed, 0);
        for (IpSubnetFilterRule rule : trusted) {
            if (rule.matches(socket)) {
                return true;
            }
        }
        return false;
    }

    /** The client behind {@code peer}, given every X-Forwarded-For header line in order. */
    String resolve(String peer, List<String> forwardedFor) {
        if (!isTrusted(peer) || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String line : forwardedFor) {
            for (String hop : line.split(",")) {
                hops.add(hop.strip());
            }
        }
        String nearest = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = literal(hops.get(i));
            if (hop == null) {
                // not an address: the proxy we trust passed on what its client claimed, so that proxy is as far
                // as we know
                return nearest;
            }
            if (!isTrusted(hop)) {
                return hop;
            }
            nearest = hop;
        }
        return nearest;
    }

    private static String peer(HttpServerRequest request) {
        // connection().remoteAddress() is the socket's peer, whatever any proxy handling rewrote
        SocketAddress address = request.connection() == null ? request.remoteAddress()
                : request.connection().remoteAddress();
        return address == null ? null : address.hostAddress();
    }

    /**
     * The address in one X-Forwarded-For entry ({@code 192.0.2.1}, {@code 192.0.2.1:443}, {@code [2001:db8::1]:80},
     * {@code 2001:db8::1}) in canonical form, or null for anything else. Never a DNS lookup.
     */
    static String literal(String hop) {
        String text = hop;
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            if (end < 0) {
                return null;
            }
            text = text.substring(1, end);
        } else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            text = text.substring(0, text.indexOf(':'));  // IPv4 with a port
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(text);
        return address == null ? null : address.getHostAddress();
    }

    private static IpSubnetFilterRule rule(String entry) {
        int slash = entry.indexOf('/');
        String host = slash < 0 ? entry : entry.substring(0, slash);
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
        if (address == null) {
            throw new IllegalArgumentException("carteiro.http.trusted-proxies: '" + entry
                    + "' is not an IP address or CIDR range (host names are not looked up)");
        }
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("carteiro.http.trusted-proxies: '" + entry
                        + "' has a prefix length outside 0-" + bits);
            }
        }
        return new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT);
    }
}
