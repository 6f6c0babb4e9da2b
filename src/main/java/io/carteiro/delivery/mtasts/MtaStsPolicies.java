package io.carteiro.delivery.mtasts;

import io.carteiro.delivery.DomainTlsPolicies;
import io.carteiro.delivery.DomainTlsPolicy;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The engine's source of recipient domains' MTA-STS policies (RFC 8461). Answers from memory, then from the shared
 * cache in the database; refreshes in the background when a domain's TXT record is due for another look, and only
 * when nothing usable is cached does the caller wait, for at most {@code first-fetch-wait}. A cached policy stays
 * in force until it expires even when the domain can no longer be asked (§5.1).
 */
@ApplicationScoped
class MtaStsPolicies implements DomainTlsPolicies {

    private static final Logger LOG = Logger.getLogger(MtaStsPolicies.class);

    /** RFC 8460 §4.4 policy type of what this class reports. */
    static final String POLICY_TYPE = "sts";

    /** Domains remembered in memory before the ones due for a new look are dropped (each is a few hundred bytes). */
    private static final int MEMORY_LIMIT = 100_000;

    /** Discoveries (DNS, and HTTPS where needed) running at once. */
    private static final int CONCURRENT_DISCOVERIES = 64;

    private static final DomainTlsPolicy NONE = new DomainTlsPolicy.None();

    /** What this process knows of a domain, and when it should look again. */
    record Known(Optional<CachedPolicy> cached, Instant recheckAt) {
        DomainTlsPolicy policy(Instant now) {
            return cached.filter(c -> c.inForce(now)).map(c -> c.policy().forEngine()).orElse(NONE);
        }
    }

    @Inject
    MtaStsConfig config;

    @Inject
    PolicyStore store;

    @Inject
    PolicyDiscovery discovery;

    @Inject
    TlsFailureCounts failures;

    @Inject
    Clock clock;

    private final Map<String, Known> memory = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Known>> inFlight = new ConcurrentHashMap<>();
    private final DiscoveryLimiter limiter = new DiscoveryLimiter(CONCURRENT_DISCOVERIES);
    // database reads and writes of refreshes, off the DNS and Vert.x threads that complete discoveries
    private final ExecutorService storage = Executors.newFixedThreadPool(2, task -> {
        Thread t = new Thread(task, "mta-sts-cache");
        t.setDaemon(true);
        return t;
    });

    @PreDestroy
    void stop() {
        storage.shutdownNow();
    }

    @Override
    public DomainTlsPolicy policyFor(String domain) {
        if (!config.enabled()) {
            return NONE;
        }
        Optional<String> key = PolicyDomain.key(domain);
        if (key.isEmpty()) {
            return NONE;
        }
        String d = key.get();
        Instant now = clock.instant();
        Known known = memory.get(d);
        if (known == null) {
            Optional<CachedPolicy> row = readStore(d);
            if (row.isPresent() && row.get().inForce(now)) {
                known = new Known(row, recheckAt(row.get(), row.get().checkedAt()));
                remember(d, known, now);
            } else {
                return waitForFirst(d);
            }
        }
        if (!now.isBefore(known.recheckAt())) {
            refresh(d);
        }
        return known.policy(now);
    }

    @Override
    public void failed(String domain, String mxHost, String resultType, String detail) {
        Optional<String> key = PolicyDomain.key(domain);
        if (!config.enabled() || key.isEmpty()) {
            return;
        }
        TlsResultType type = TlsResultType.fromWire(resultType);
        String said = type.wire().equalsIgnoreCase(String.valueOf(resultType).strip()) ? detail
                : "(" + resultType + ") " + detail;
        failures.add(key.get(), POLICY_TYPE, type,
                mxHost == null ? "" : DomainTlsPolicy.stripDot(mxHost.strip().toLowerCase(Locale.ROOT)), said);
    }

    /** What is cached for a domain now, without asking anyone (for the operator's API). */
    Optional<CachedPolicy> cached(String domain) {
        return store.find(domain);
    }

    /** A database that cannot be read is a cache with nothing in it: the fetch then decides. */
    private Optional<CachedPolicy> readStore(String domain) {
        try {
            return store.find(domain);
        } catch (RuntimeException e) {
            LOG.warnf("MTA-STS policy cache not readable for %s: %s", domain, e.getMessage());
            return Optional.empty();
        }
    }

    private DomainTlsPolicy waitForFirst(String domain) {
        CompletableFuture<Known> pending = refresh(domain);
        try {
            return pending.get(config.firstFetchWait().toMillis(), TimeUnit.MILLISECONDS).policy(clock.instant());
        } catch (TimeoutException stillFetching) {
            // the fetch goes on and fills the cache for the next message; this one goes as if there were no policy
            return NONE;
        } catch (ExecutionException e) {
            return NONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NONE;
        }
    }

    /** Starts a look at the domain unless one is running; every caller meanwhile shares the running one. */
    private CompletableFuture<Known> refresh(String domain) {
        CompletableFuture<Known> mine = new CompletableFuture<>();
        CompletableFuture<Known> running = inFlight.putIfAbsent(domain, mine);
        if (running != null) {
            return running;
        }
        mine.whenComplete((known, failure) -> inFlight.remove(domain, mine));
        storage.execute(() -> {
            try {
                start(domain, mine);
            } catch (RuntimeException e) {
                LOG.warnf("MTA-STS policy of %s not refreshed: %s", domain, e.getMessage());
                mine.completeExceptionally(e);
            }
        });
        return mine;
    }

    private void start(String domain, CompletableFuture<Known> result) {
        Instant now = clock.instant();
        Optional<CachedPolicy> row = store.find(domain);
        if (row.isPresent() && row.get().inForce(now) && now.isBefore(recheckAt(row.get(), row.get().checkedAt()))) {
            // another replica (or this one before a restart) looked recently: take its word, ask nobody
            result.complete(remember(domain, new Known(row, recheckAt(row.get(), row.get().checkedAt())), now));
            return;
        }
        limiter.submit(() -> discovery.discover(domain, row, now, config.refreshInterval()))
                .whenCompleteAsync((found, failure) -> {
                    try {
                        result.complete(apply(domain, row, found, failure));
                    } catch (RuntimeException e) {
                        LOG.warnf("MTA-STS policy of %s not stored: %s", domain, e.getMessage());
                        result.completeExceptionally(e);
                    }
                }, storage);
    }

    private Known apply(String domain, Optional<CachedPolicy> row, PolicyDiscovery.Found found, Throwable failure) {
        Instant at = clock.instant();
        Optional<CachedPolicy> inForce = row.filter(c -> c.inForce(at));
        Known known;
        if (failure != null) {
            LOG.warnf("MTA-STS discovery for %s failed: %s", domain, StsDns.reason(failure));
            known = new Known(inForce, at.plus(config.retryAfterFailure()));
        } else if (found instanceof PolicyDiscovery.Found.NewPolicy fresh) {
            store.save(domain, fresh.id(), fresh.policy(), at);
            CachedPolicy saved = new CachedPolicy(domain, fresh.id(), fresh.policy(), at,
                    at.plusSeconds(fresh.policy().maxAgeSeconds()), at, null, null);
            boolean changed = row.isEmpty() || !row.get().id().equals(fresh.id())
                    || row.get().policy().mode() != fresh.policy().mode();
            if (changed) {
                LOG.infof("MTA-STS policy of %s: mode %s, mx %s, max_age %d s (id %s)", domain,
                        fresh.policy().mode().wire(), fresh.policy().mxPatterns(), fresh.policy().maxAgeSeconds(),
                        fresh.id());
            }
            known = new Known(Optional.of(saved), recheckAt(saved, at));
        } else if (found instanceof PolicyDiscovery.Found.SameId) {
            store.checked(domain, at);
            known = new Known(inForce, inForce.map(c -> recheckAt(c, at)).orElse(at));
        } else if (found instanceof PolicyDiscovery.Found.NoRecord) {
            // RFC 8461 §5.1: without a live record, a cached unexpired policy still applies
            inForce.ifPresent(c -> store.checked(domain, at));
            known = new Known(inForce, inForce.map(c -> recheckAt(c, at)).orElse(at.plus(config.refreshInterval())));
        } else if (found instanceof PolicyDiscovery.Found.FetchFailed fetchFailed) {
            failures.add(domain, POLICY_TYPE, fetchFailed.type(), "", fetchFailed.detail());
            row.ifPresent(c -> store.refreshFailed(domain, fetchFailed.detail(), at));
            LOG.infof("MTA-STS policy of %s could not be fetched (%s%s): %s", domain, fetchFailed.type().wire(),
                    inForce.isPresent() ? ", the cached policy stays in force" : "", fetchFailed.detail());
            known = new Known(inForce, at.plus(config.retryAfterFailure()));
        } else {
            known = new Known(inForce, at.plus(config.retryAfterFailure()));
        }
        return remember(domain, known, at);
    }

    /** The next look: after the refresh interval, or when the policy expires if that is sooner. */
    private Instant recheckAt(CachedPolicy policy, Instant checked) {
        Instant next = checked.plus(config.refreshInterval());
        return next.isBefore(policy.expiresAt()) ? next : policy.expiresAt();
    }

    private Known remember(String domain, Known known, Instant now) {
        if (memory.size() >= MEMORY_LIMIT && !memory.containsKey(domain)) {
            memory.values().removeIf(k -> !now.isBefore(k.recheckAt()));
            if (memory.size() >= MEMORY_LIMIT) {
                // the database still has every policy; only domains without one are looked up again
                memory.clear();
            }
        }
        memory.put(domain, known);
        return known;
    }
}
