package io.carteiro.admin;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Slows password guessing without letting anyone lock the owner out (issue 12.4). Failures are counted per
 * (client address, account) and per client address, in the database so the limit holds across replicas; past the
 * free failures each further failure, refused or checked, makes that key wait twice as long as the one before, up to
 * {@link AdminConfig#longestDelay()}. Nothing counts per account alone: failures from elsewhere never stop the owner
 * signing in from their own address.
 */
@ApplicationScoped
class SignInThrottle {

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    AdminConfig config;

    /** The keys one sign-in attempt counts against: its (address, account) pair first, then its address. */
    static List<String> keys(String email, String address) {
        String account = Sha256.hex(AdminAccounts.normalise(email));
        return List.of("pair:" + address + "|" + account, "address:" + address);
    }

    /** How long a key waits after {@code failures} failures, of which the first {@code free} cost nothing. */
    static Duration delayAfter(int failures, int free, Duration longest) {
        if (failures <= free) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - free - 1, 30);
        Duration delay = Duration.ofSeconds(1L << doublings);
        return delay.compareTo(longest) > 0 ? longest : delay;
    }

    /** The latest time until which one of the keys is blocked, if one is blocked now. */
    @Transactional
    Optional<Instant> blockedUntil(List<String> keys) {
        Instant latest = em.createQuery("select max(t.blockedUntil) from SignInThrottleEntry t"
                        + " where t.key in :keys and t.blockedUntil > :now", Instant.class)
                .setParameter("keys", keys)
                .setParameter("now", clock.instant())
                .getSingleResult();
        return Optional.ofNullable(latest);
    }

    /**
     * Counts one failure against each key and sets how long each must now wait. The count is an upsert, not a read
     * then an insert: two first failures of one key at the same moment (a script firing in parallel) would otherwise
     * both insert, and one would fail with a duplicate key instead of being counted.
     */
    @Transactional
    void recordFailure(List<String> keys) {
        Instant now = clock.instant();
        for (String key : keys) {
            // MariaDB evaluates the assignments left to right: the test of last_failure_at sees the old value
            em.createNativeQuery("""
                            insert into sign_in_throttle (throttle_key, failures, last_failure_at) values (?1, 1, ?2)
                            on duplicate key update failures = if(last_failure_at < ?3, 1, failures + 1),
                                                    last_failure_at = ?2""")
                    .setParameter(1, key).setParameter(2, now).setParameter(3, now.minus(config.failureMemory()))
                    .executeUpdate();
            SignInThrottleEntry entry = em.find(SignInThrottleEntry.class, key, LockModeType.PESSIMISTIC_WRITE);
            Duration delay = delayAfter(entry.failures, freeFailures(key), config.longestDelay());
            entry.blockedUntil = delay.isZero() ? null : now.plus(delay);
        }
    }

    /** A right password clears its (address, account) pair; the address keeps what other accounts cost it. */
    @Transactional
    void recordSuccess(List<String> keys) {
        em.createQuery("delete from SignInThrottleEntry t where t.key = :key").setParameter("key", keys.get(0))
                .executeUpdate();
    }

    @Scheduled(identity = "sign-in-throttle-pruning", every = "1h",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyHour() {
        prune();
    }

    /** Deletes counters whose failures are forgotten and whose wait is over; returns how many. */
    @Transactional
    int prune() {
        Instant now = clock.instant();
        return em.createQuery("delete from SignInThrottleEntry t where t.lastFailureAt < :forgotten"
                        + " and (t.blockedUntil is null or t.blockedUntil < :now)")
                .setParameter("forgotten", now.minus(config.failureMemory()))
                .setParameter("now", now)
                .executeUpdate();
    }

    private int freeFailures(String key) {
        return key.startsWith("address:") ? config.freeFailuresPerAddress() : config.freeFailuresPerAccountAndAddress();
    }
}
