package io.carteiro.engagement;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of address ranges in CIDR notation ({@code 17.0.0.0/8}, {@code 2620:149::/32}), matched with Netty's
 * subnet rule (already on the class path through Vert.x). Parsing never looks anything up in DNS.
 */
final class AddressRanges {

    private final List<IpSubnetFilterRule> rules;

    private AddressRanges(List<IpSubnetFilterRule> rules) {
        this.rules = rules;
    }

    /** Parses each range; a malformed one is refused with the text that is wrong (a configuration error). */
    static AddressRanges parse(List<String> ranges, String setting) {
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        for (String range : ranges) {
            String text = range.strip();
            if (text.isEmpty()) {
                continue;
            }
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
            if (bytes == null) {
                throw new IllegalArgumentException(setting + ": '" + text + "' is not an IP address range");
            }
            int max = bytes.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(setting + ": '" + text + "' has no numeric prefix length");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException(setting + ": '" + text + "' has a prefix length beyond " + max);
            }
            rules.add(new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT));
        }
        return new AddressRanges(List.copyOf(rules));
    }

    boolean contains(InetAddress address) {
        if (address == null || rules.isEmpty()) {
            return false;
        }
        InetSocketAddress socket = new InetSocketAddress(address, 0);
        for (IpSubnetFilterRule rule : rules) {
            if (rule.matches(socket)) {
                return true;
            }
        }
        return false;
    }

    /** The address of a literal such as {@code 192.0.2.1} or {@code ::1}; null for anything else (no DNS). */
    static InetAddress literal(String text) {
        if (text == null) {
            return null;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
