package io.carteiro.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How Carteiro reads requests that reached it through reverse proxies. */
@ConfigMapping(prefix = "carteiro.http")
public interface WebConfig {

    /**
     * Addresses or CIDR ranges ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) of the reverse proxies in front of
     * Carteiro (load balancer, ingress). Their {@code X-Forwarded-For} and {@code X-Forwarded-Proto} headers are
     * believed; nobody else's are. None by default: a client that connects directly cannot claim another address.
     */
    Optional<List<String>> trustedProxies();

    /**
     * How long a browser that reached Carteiro over TLS keeps to HTTPS for this host
     * ({@code Strict-Transport-Security}, sent only on TLS requests). Zero sends none.
     */
    @WithDefault("P365D")
    Duration hstsMaxAge();
}
