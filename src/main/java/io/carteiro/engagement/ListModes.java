package io.carteiro.engagement;

import io.carteiro.lists.ListService;
import io.carteiro.lists.Tracking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each list's tracking settings, read from the lists feature and kept for half a minute: every message asks, and a
 * changed setting reaches messages rendered from then on, on every replica, within that time.
 */
@ApplicationScoped
class ListModes {

    /** How a list's messages are tracked. */
    record Mode(Tracking tracking, boolean openTracking) {
        static final Mode OFF = new Mode(Tracking.OFF, false);
    }

    private record Cached(Mode mode, Instant until) {
    }

    static final Duration KEEP = Duration.ofSeconds(30);

    @Inject
    ListService lists;

    @Inject
    Clock clock;

    private final Map<Long, Cached> cache = new ConcurrentHashMap<>();

    Mode of(long listId) {
        Instant now = clock.instant();
        Cached cached = cache.get(listId);
        if (cached == null || now.isAfter(cached.until())) {
            Mode mode = lists.find(listId).map(l -> new Mode(l.tracking, l.openTracking && l.tracking != Tracking.OFF))
                    .orElse(Mode.OFF);
            cached = new Cached(mode, now.plus(KEEP));
            cache.put(listId, cached);
        }
        return cached.mode();
    }

    /** Forgets a list's settings at once (this replica), e.g. after they were changed here. */
    void forget(long listId) {
        cache.remove(listId);
    }
}
