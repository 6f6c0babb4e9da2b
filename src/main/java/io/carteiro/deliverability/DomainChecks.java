package io.carteiro.deliverability;

import io.carteiro.delivery.DeliveryConfig;
import io.carteiro.delivery.dkim.DkimKey;
import io.carteiro.delivery.dkim.DkimKeys;
import io.carteiro.delivery.dkim.DkimPublication;
import io.carteiro.delivery.mtasts.PolicyDomain;
import io.carteiro.delivery.mx.MxResolverProducer;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The domain checks the API and the pages show: live lookups through the engine's resolvers, the last result of each
 * domain kept for a short while so that a page listing several domains (and the campaign checklist) does not ask the
 * DNS again on every view.
 */
@ApplicationScoped
public class DomainChecks {

    static final Duration REMEMBERED = Duration.ofMinutes(2);

    private final DnsLookups dns;
    private final DomainChecker checker;
    private final SendingSetups setups;
    private final DkimKeys keys;
    private final Clock clock;
    private final Map<String, DomainCheck> recent = new ConcurrentHashMap<>();

    DomainChecks(DeliveryConfig delivery, SendingSetups setups, DkimKeys keys, DkimPublication publication,
                 Clock clock) throws UnknownHostException {
        this.dns = new DnsLookups(MxResolverProducer.resolver(delivery));
        this.checker = new DomainChecker(dns, publication);
        this.setups = setups;
        this.keys = keys;
        this.clock = clock;
    }

    /** The domain as checks key it (lower-case A-labels), or empty when it is not a domain name. */
    public static Optional<String> validDomain(String domain) {
        return PolicyDomain.key(domain).filter(d -> d.contains("."));
    }

    /** Checks the domain now (it must be valid, see {@link #validDomain}). */
    public DomainCheck checkNow(String domain) {
        String d = validDomain(domain).orElseThrow(() -> new IllegalArgumentException("not a domain: " + domain));
        List<DkimKey> domainKeys = keys.all().stream().filter(k -> k.domain().equals(d)).toList();
        DomainCheck check = checker.check(d, setups.current(dns), domainKeys, clock.instant());
        recent.put(d, check);
        return check;
    }

    /** The last check of the domain if it is recent, else a new one. */
    public DomainCheck check(String domain) {
        String d = validDomain(domain).orElseThrow(() -> new IllegalArgumentException("not a domain: " + domain));
        DomainCheck last = recent.get(d);
        Instant now = clock.instant();
        if (last != null && last.checkedAt().plus(REMEMBERED).isAfter(now)) {
            return last;
        }
        return checkNow(d);
    }

    /** The addresses this installation sends from, as the checks see them. */
    java.util.Set<java.net.InetAddress> sendingAddresses() {
        return java.util.Set.copyOf(setups.current(dns).sendingAddresses());
    }

    /** The rua addresses Carteiro reads DMARC and TLS reports at. */
    String[] reportAddresses() {
        SendingSetup s = setups.current(dns);
        return new String[]{s.dmarcAddress(), s.tlsReportAddress()};
    }

    /** The bounce domain (checked with every sending domain). */
    String bounceDomain() {
        return setups.current(dns).bounceDomain();
    }
}
