package io.carteiro.unsubscribe;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;

/**
 * Deletes sign-up counters whose window ended long ago, so {@code public_form_throttle} holds only recent visitors
 * (their IPs and addresses are personal data kept no longer than the limits need).
 */
@ApplicationScoped
class ThrottlePruning {

    /** Counters older than every configured window by this margin are of no further use. */
    static final Duration KEEP = Duration.ofDays(1);

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    SubscribeConfig config;

    @Scheduled(identity = "public-form-throttle-pruning", every = "1h",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void everyHour() {
        prune();
    }

    /** Deletes the stale counters; returns how many. */
    @Transactional
    int prune() {
        Duration longest = config.window().compareTo(config.confirmationMailInterval()) > 0 ? config.window()
                : config.confirmationMailInterval();
        return em.createNativeQuery("delete from public_form_throttle where window_started < :before")
                .setParameter("before", clock.instant().minus(longest).minus(KEEP)).executeUpdate();
    }
}
