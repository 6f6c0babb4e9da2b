package io.carteiro.delivery.mtasts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One look at a domain's published policy (RFC 8461 §3, §5.1), given what is cached: the TXT record first; the
 * HTTPS fetch only when its {@code id} is not the cached one or the cached policy is about to expire.
 */
@ApplicationScoped
class PolicyDiscovery {

    /** What the look found; the caller decides what to keep. */
    sealed interface Found {
        /** The TXT id is the cached policy's and it is not near its end: nothing to fetch. */
        record SameId() implements Found {
        }

        /** A policy was fetched under this TXT id. */
        record NewPolicy(String id, StsPolicy policy) implements Found {
        }

        /** The domain publishes no (valid) TXT record. */
        record NoRecord(String reason) implements Found {
        }

        /** DNS gave no answer; nothing is known either way. */
        record DnsTrouble(String reason) implements Found {
        }

        /** A TXT record says a policy exists, but it could not be fetched or was not valid. */
        record FetchFailed(TlsResultType type, String detail) implements Found {
        }
    }

    /** Addresses of one policy host tried before giving up: each may cost a connect timeout. */
    static final int MAX_ADDRESSES = 3;

    @Inject
    StsDns dns;

    @Inject
    PolicyFetcher fetcher;

    CompletionStage<Found> discover(String domain, Optional<CachedPolicy> cached, Instant now, Duration renewBefore) {
        return dns.stsRecord(domain).thenCompose(lookup -> {
            if (lookup instanceof StsRecord.Lookup.NotPublished absent) {
                return done(new Found.NoRecord(absent.reason()));
            }
            if (lookup instanceof StsRecord.Lookup.Unavailable unavailable) {
                return done(new Found.DnsTrouble(unavailable.reason()));
            }
            String id = ((StsRecord.Lookup.Published) lookup).id();
            if (cached.isPresent() && cached.get().id().equals(id)
                    && cached.get().expiresAt().isAfter(now.plus(renewBefore))) {
                return done(new Found.SameId());
            }
            String host = "mta-sts." + domain;
            return dns.addresses(host).thenCompose(addresses -> {
                if (addresses instanceof StsDns.Addresses.None none) {
                    return done(new Found.FetchFailed(TlsResultType.STS_POLICY_FETCH_ERROR, none.reason()));
                }
                return fetchFrom(domain, ((StsDns.Addresses.Usable) addresses).addresses(), 0, id);
            });
        });
    }

    /** Tries the host's addresses in turn while they cannot be connected to (a dead IPv6 route, a host down). */
    private CompletionStage<Found> fetchFrom(String domain, List<InetAddress> addresses, int index, String id) {
        return fetcher.fetch(domain, addresses.get(index)).thenCompose(fetch -> {
            if (fetch instanceof PolicyFetcher.Fetch.Fetched fetched) {
                return done(new Found.NewPolicy(id, fetched.policy()));
            }
            if (fetch instanceof PolicyFetcher.Fetch.Unreachable unreachable) {
                if (index + 1 < Math.min(addresses.size(), MAX_ADDRESSES)) {
                    return fetchFrom(domain, addresses, index + 1, id);
                }
                return done(new Found.FetchFailed(TlsResultType.STS_POLICY_FETCH_ERROR, unreachable.detail()));
            }
            PolicyFetcher.Fetch.Failed failed = (PolicyFetcher.Fetch.Failed) fetch;
            return done(new Found.FetchFailed(failed.type(), failed.detail()));
        });
    }

    private static CompletionStage<Found> done(Found found) {
        return CompletableFuture.completedFuture(found);
    }
}
