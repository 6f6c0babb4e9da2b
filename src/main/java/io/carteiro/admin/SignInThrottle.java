package io.carteiro.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Counts failed sign-ins per account and per client IP in the database, so the limit holds across replicas and
 * restarts. A key with too many failures inside the window is locked for one window.
 */
@ApplicationScoped
class SignInThrottle {

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    AdminConfig config;

    static String accountKey(String email) {
        return "account:" + AdminAccounts.normalise(email);
    }

    static String ipKey(String ip) {
        return "ip:" + ip;
    }

    @Transactional
    boolean isLocked(List<String> keys) {
        Instant now = clock.instant();
        return !em.createQuery("select t from SignInThrottleEntry t where t.key in :keys and t.lockedUntil > :now",
                        SignInThrottleEntry.class)
                .setParameter("keys", keys)
                .setParameter("now", now)
                .getResultList().isEmpty();
    }

    @Transactional
    void recordFailure(List<String> keys) {
        Instant now = clock.instant();
        Instant windowStart = now.minus(config.failureWindow());
        for (String key : keys) {
            SignInThrottleEntry entry = em.find(SignInThrottleEntry.class, key, LockModeType.PESSIMISTIC_WRITE);
            if (entry == null) {
                entry = new SignInThrottleEntry();
                entry.key = key;
                entry.failures = 0;
                entry.windowStarted = now;
                em.persist(entry);
            } else if (entry.windowStarted.isBefore(windowStart)) {
                entry.failures = 0;
                entry.windowStarted = now;
            }
            entry.failures++;
            if (entry.failures >= limitFor(key)) {
                entry.lockedUntil = now.plus(config.failureWindow());
            }
        }
    }

    private int limitFor(String key) {
        return key.startsWith("ip:") ? config.maxFailuresPerIp() : config.maxFailuresPerAccount();
    }

    @Transactional
    void recordSuccess(String accountKey) {
        em.createQuery("delete from SignInThrottleEntry t where t.key = :key").setParameter("key", accountKey)
                .executeUpdate();
    }
}
