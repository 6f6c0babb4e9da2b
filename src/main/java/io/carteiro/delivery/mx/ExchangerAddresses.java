package io.carteiro.delivery.mx;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Tells public exchanger addresses from ones that must not be connected to on the Internet. */
public final class ExchangerAddresses {

    private ExchangerAddresses() {
    }

    /** Loopback, unspecified, RFC 1918 / ULA private, link-local, CGNAT and multicast addresses are not public. */
    public static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isSiteLocalAddress()
                || address.isLinkLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return (b[0] & 0xfe) != 0xfc;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first != 0 && !(first == 100 && second >= 64 && second < 128) && first < 240;
    }
}
