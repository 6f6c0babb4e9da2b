package io.carteiro.deliverability;

import io.carteiro.delivery.DeliveryConfig;
import io.carteiro.delivery.SendingIdentity;
import io.carteiro.delivery.mx.ExchangerAddresses;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Builds the {@link SendingSetup} the checks compare the DNS with, from the engine's and the desk's settings. */
@ApplicationScoped
class SendingSetups {

    private final SendingIdentity identity;
    private final DeliveryConfig delivery;
    private final DeliverabilityConfig config;

    SendingSetups(SendingIdentity identity, DeliveryConfig delivery, DeliverabilityConfig config) {
        this.identity = identity;
        this.delivery = delivery;
        this.config = config;
    }

    SendingSetup current(DnsLookups dns) {
        Optional<String> relay = delivery.relay().host().filter(h -> !h.isBlank());
        List<InetAddress> sending;
        String from;
        if (relay.isPresent()) {
            DnsLookups.Answer<InetAddress> a = dns.addresses(relay.get());
            sending = a instanceof DnsLookups.Answer.Found<InetAddress> found ? found.records() : List.of();
            from = "the relay " + relay.get();
        } else if (config.sendingAddresses().isPresent()) {
            sending = parse(config.sendingAddresses().get());
            from = "carteiro.deliverability.sending-addresses";
        } else {
            sending = interfaceAddresses().stream().filter(ExchangerAddresses::isPublic).toList();
            from = "this machine's public address";
        }
        List<InetAddress> installation;
        if (config.publicAddresses().isPresent()) {
            installation = parse(config.publicAddresses().get());
        } else {
            Set<InetAddress> all = new LinkedHashSet<>(sending);
            all.addAll(interfaceAddresses());
            installation = List.copyOf(all);
        }
        String bounce = identity.bounceDomain();
        return new SendingSetup(identity.ehloName(), bounce, sending, from, installation, relay,
                config.dmarcLocalPart() + "@" + bounce, config.tlsReportLocalPart() + "@" + bounce);
    }

    private static List<InetAddress> parse(List<String> addresses) {
        List<InetAddress> out = new ArrayList<>();
        for (String text : addresses) {
            String a = text.strip();
            if (a.isEmpty()) {
                continue;
            }
            InetAddress literal = SpfRecord.literal(a, a.contains(":"));
            if (literal == null) {
                throw new IllegalStateException("carteiro.deliverability address '" + a + "' is not an IP address");
            }
            out.add(literal);
        }
        return List.copyOf(out);
    }

    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                out.addAll(Collections.list(nic.getInetAddresses()).stream()
                        .map(SendingSetups::withoutScope).toList());
            }
        } catch (SocketException e) {
            return List.of();
        }
        return out;
    }

    /** An IPv6 address without its %interface scope, so that it equals the same address read from the DNS. */
    private static InetAddress withoutScope(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
