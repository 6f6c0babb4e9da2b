package io.carteiro.delivery.mtasts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings of MTA-STS (RFC 8461), keys under {@code carteiro.delivery.mta-sts}. DNS queries go to the engine's
 * {@code carteiro.delivery.dns-servers}; policy hosts on non-public addresses are refused unless
 * {@code carteiro.delivery.allow-private-exchangers} is true, as exchangers are.
 */
@ConfigMapping(prefix = "carteiro.delivery.mta-sts")
public interface MtaStsConfig {

    /** Whether recipient domains' MTA-STS policies are looked up and handed to the engine. */
    @WithDefault("true")
    boolean enabled();

    /**
     * How long the engine's first message to a domain with nothing cached waits for the policy (TXT lookup and
     * HTTPS fetch). Past it the message goes out as if the domain had no policy while the fetch goes on in the
     * background for the next one: a policy host that is slow or silent then costs its own domain a few seconds
     * once, never a sender thread for the whole fetch timeout.
     */
    @WithDefault("PT3S")
    Duration firstFetchWait();

    /**
     * The whole HTTPS fetch of one policy (connect, TLS, response); RFC 8461 §3.3 suggests one minute. It runs in
     * the background, so a long value holds no delivery.
     */
    @WithDefault("PT1M")
    Duration fetchTimeout();

    /**
     * How often the {@code _mta-sts} TXT record of a domain with a cached policy is looked at again; a new
     * {@code id} there makes the policy be fetched again (RFC 8461 §3.1), as does a policy within this long of
     * its {@code max_age}.
     */
    @WithDefault("PT1H")
    Duration refreshInterval();

    /**
     * After a failed fetch, how long before the same domain is tried again; RFC 8461 §3.3 suggests five minutes
     * or more, so that a broken policy host is not hammered by every session.
     */
    @WithDefault("PT5M")
    Duration retryAfterFailure();

    /** The policy host's HTTPS port: 443 on the Internet (a test and ops aid for policy servers elsewhere). */
    @WithDefault("443")
    int port();

    /**
     * A PEM file of CA certificates trusted for policy hosts instead of the JDK's (a test and ops aid: a private
     * PKI, or a test CA); unset means the JDK's trusted roots, as RFC 8461 §3.3 expects.
     */
    Optional<String> trustStore();
}
