package io.carteiro.delivery.mx;

import io.carteiro.delivery.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Builds the engine's {@link MxResolver} from {@code carteiro.delivery.dns-servers}; public so that other DNS users of
 * the engine (MTA-STS) ask the same servers.
 */
@ApplicationScoped
public class MxResolverProducer {

    @Produces
    @ApplicationScoped
    MxResolver mxResolver(DeliveryConfig config, Clock clock) throws UnknownHostException {
        return new DnsMxResolver(resolver(config), clock, config.allowPrivateExchangers(),
                RandomGenerator.getDefault());
    }

    public static Resolver resolver(DeliveryConfig config) throws UnknownHostException {
        List<String> servers = config.dnsServers().orElse(List.of()).stream()
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        ExtendedResolver resolver;
        if (servers.isEmpty()) {
            resolver = new ExtendedResolver();
        } else {
            List<Resolver> each = new ArrayList<>();
            for (String server : servers) {
                each.add(new SimpleResolver(parse(server)));
            }
            resolver = new ExtendedResolver(each);
        }
        resolver.setTimeout(config.dnsTimeout());
        resolver.setRetries(2);
        return resolver;
    }

    /** {@code host:port}, {@code host}, {@code [v6]:port}; the port defaults to 53. */
    static InetSocketAddress parse(String server) {
        String host = server;
        int port = 53;
        if (server.startsWith("[")) {
            int end = server.indexOf(']');
            host = server.substring(1, end);
            if (server.length() > end + 2 && server.charAt(end + 1) == ':') {
                port = Integer.parseInt(server.substring(end + 2));
            }
        } else if (server.indexOf(':') == server.lastIndexOf(':') && server.indexOf(':') > 0) {
            host = server.substring(0, server.indexOf(':'));
            port = Integer.parseInt(server.substring(server.indexOf(':') + 1));
        }
        return new InetSocketAddress(host, port);
    }
}
