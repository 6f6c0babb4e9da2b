package io.carteiro.deliverability;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Address prefixes: whether an address lies in a network (SPF's ip4/ip6 and a/mx prefix lengths). */
final class Cidr {

    private Cidr() {
    }

    /** Whether {@code address} is within {@code network}/{@code bits}; addresses of different families never are. */
    static boolean contains(InetAddress network, int bits, InetAddress address) {
        if ((network instanceof Inet4Address) != (address instanceof Inet4Address)) {
            return false;
        }
        byte[] n = network.getAddress();
        byte[] a = address.getAddress();
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (n[i] != a[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (n[full] & mask) == (a[full] & mask);
    }

    /** The %{i} form of §7.3: dotted quad, or 32 dot-separated nibbles for IPv6. */
    static String dotted(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        StringBuilder out = new StringBuilder();
        for (byte b : address.getAddress()) {
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(Character.forDigit((b >> 4) & 0xf, 16)).append('.').append(Character.forDigit(b & 0xf, 16));
        }
        return out.toString();
    }
}
