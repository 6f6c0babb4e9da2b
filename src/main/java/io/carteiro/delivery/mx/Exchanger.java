package io.carteiro.delivery.mx;

import java.net.InetAddress;
import java.util.List;

/**
 * One mail exchanger of a domain with the addresses to connect to, in the order to try them.
 *
 * @param host       the exchanger's name (the domain itself for an implicit MX)
 * @param preference MX preference, lower first
 * @param addresses  usable addresses (IPv4 first, then IPv6)
 */
public record Exchanger(String host, int preference, List<InetAddress> addresses) {
    public Exchanger {
        addresses = List.copyOf(addresses);
    }
}
