package io.carteiro.bounces;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the listener's open connections per client address, so that one client holding many slow connections
 * takes only its own share and never locks out other senders.
 */
final class ConnectionsPerAddress {

    private final int max;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

    ConnectionsPerAddress(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("carteiro.bounce.max-connections-per-ip must be at least 1, was " + max);
        }
        this.max = max;
    }

    /** Takes a place for one more connection from this address; false when it already has the most allowed. */
    boolean tryAcquire(InetAddress address) {
        boolean[] admitted = new boolean[1];
        open.compute(address, (a, n) -> {
            int now = n == null ? 0 : n;
            admitted[0] = now < max;
            return admitted[0] ? Integer.valueOf(now + 1) : n;
        });
        return admitted[0];
    }

    /** Gives back the place of a closed connection. */
    void release(InetAddress address) {
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Open connections from this address. */
    int open(InetAddress address) {
        return open.getOrDefault(address, 0);
    }
}
