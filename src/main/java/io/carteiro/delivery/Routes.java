package io.carteiro.delivery;

import io.carteiro.delivery.mx.Exchanger;
import io.carteiro.delivery.mx.MxLookup;
import io.carteiro.delivery.mx.MxResolver;
import io.carteiro.delivery.smtp.SessionOptions;
import io.carteiro.delivery.smtp.SmtpTimeouts;
import io.carteiro.delivery.smtp.TlsPolicy;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Finds the route of a recipient domain: its exchangers from DNS (or the smarthost in relay mode), and each
 * exchanger's session options with the TLS policy from the settings, the domain's {@code tls.required-domains}
 * entry and its published policy ({@link DomainTlsPolicies}, asked once per delivery run). Created at start
 * ({@link Startup}), so settings that can never work (relay credentials without TLS, an unreadable trust file) stop
 * the start instead of failing every delivery later.
 */
@Startup
@ApplicationScoped
class Routes {

    private static final Logger LOG = Logger.getLogger(Routes.class);

    /** A route, or why there is none. */
    sealed interface Lookup permits Found, NoRoute {
    }

    record Found(Route route) implements Lookup {
    }

    /** The domain cannot be reached now ({@link MxLookup.Temporary}) or ever ({@link MxLookup.Permanent}). */
    record NoRoute(MxLookup failure) implements Lookup {
    }

    @Inject
    DeliveryConfig config;
    @Inject
    MxResolver mxResolver;
    @Inject
    SendingIdentity identity;
    @Inject
    Instance<DomainTlsPolicies> policies;

    private SSLContext trust;

    @PostConstruct
    void init() {
        trust = TrustedCertificates.context(config.tls().trustedCertificates());
        DeliveryConfig.Relay relay = config.relay();
        if (relay.host().isPresent() && relay.tls() == DeliveryConfig.Relay.RelayTls.NONE
                && relay.username().isPresent()) {
            throw new IllegalStateException("carteiro.delivery.relay.tls=none with relay credentials: Carteiro never"
                    + " sends a password without TLS; use starttls or implicit");
        }
        if (relay.host().isPresent() && relay.insecureSkipCertificateVerification()) {
            LOG.warnf("carteiro.delivery.relay.insecure-skip-certificate-verification is on: the certificate of %s is"
                    + " not checked, so anyone on the way can take the relay credentials", relay.host().get());
        }
    }

    Lookup resolve(String domain) {
        if (config.relay().host().isPresent()) {
            return relay(domain);
        }
        MxLookup lookup = mxResolver.resolve(domain);
        if (!(lookup instanceof MxLookup.Found found)) {
            return new NoRoute(lookup);
        }
        DomainTlsPolicy published = published(domain);
        TlsPolicy base = levelOf(config.tls().level());
        boolean required = config.tls().requiredDomains().orElse(List.of()).stream()
                .anyMatch(d -> d.equalsIgnoreCase(domain));
        TlsPolicy policy = required ? base.atLeast(TlsPolicy.Level.ENCRYPT) : base;
        TlsPolicy forMx = published instanceof DomainTlsPolicy.Enforce || published instanceof DomainTlsPolicy.Testing
                ? policy.atLeast(TlsPolicy.Level.VERIFY) : policy;
        return new Found(new Route(domain, found.exchangers(), config.mxPort(),
                e -> options(e.host(), forMx, Optional.empty()), published));
    }

    /** The TLS policy the domain publishes; None when no source is installed or it fails. */
    private DomainTlsPolicy published(String domain) {
        if (policies.isUnsatisfied()) {
            return new DomainTlsPolicy.None();
        }
        try {
            DomainTlsPolicy p = policies.get().policyFor(domain);
            return p == null ? new DomainTlsPolicy.None() : p;
        } catch (RuntimeException e) {
            LOG.warnf("no TLS policy for %s: %s", domain, e.getMessage());
            return new DomainTlsPolicy.None();
        }
    }

    /** Reports a delivery that did not satisfy the domain's published policy. */
    void policyFailed(String domain, String mxHost, String resultType, String detail) {
        if (!policies.isUnsatisfied()) {
            try {
                policies.get().failed(domain, mxHost, resultType, detail);
            } catch (RuntimeException e) {
                LOG.warnf("could not report a TLS policy failure for %s: %s", domain, e.getMessage());
            }
        }
    }

    private Lookup relay(String domain) {
        DeliveryConfig.Relay relay = config.relay();
        String host = relay.host().get();
        try {
            Exchanger smarthost = new Exchanger(host, 0, List.of(InetAddress.getAllByName(host)));
            TlsPolicy secured = relay.insecureSkipCertificateVerification() ? TlsPolicy.encrypt() : TlsPolicy.verify();
            TlsPolicy policy = switch (relay.tls()) {
                case STARTTLS -> secured;
                case IMPLICIT -> secured.implicit();
                case NONE -> TlsPolicy.none();
            };
            Optional<SessionOptions.Credentials> credentials = relay.username()
                    .map(u -> new SessionOptions.Credentials(u, relay.password().orElse("")));
            SessionOptions options = options(host, policy, credentials);
            return new Found(new Route(domain, List.of(smarthost), relay.port(), e -> options,
                    new DomainTlsPolicy.None()));
        } catch (UnknownHostException e) {
            return new NoRoute(new MxLookup.Temporary("relay host " + host + " does not resolve"));
        }
    }

    private SessionOptions options(String server, TlsPolicy policy, Optional<SessionOptions.Credentials> credentials) {
        var t = config.timeouts();
        return new SessionOptions(identity.ehloName(), server, new SmtpTimeouts(t.connect(), t.greeting(),
                t.command(), t.dataStart(), t.dataBlock(), t.dataEnd(), t.transaction()), policy, credentials, trust);
    }

    static TlsPolicy levelOf(DeliveryConfig.Tls.Level level) {
        return switch (level) {
            case NONE -> TlsPolicy.none();
            case MAY -> TlsPolicy.may();
            case ENCRYPT -> TlsPolicy.encrypt();
            case VERIFY -> TlsPolicy.verify();
        };
    }
}
