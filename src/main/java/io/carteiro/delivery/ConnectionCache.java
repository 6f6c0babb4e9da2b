package io.carteiro.delivery;

import io.carteiro.delivery.smtp.SmtpSession;
import io.carteiro.delivery.smtp.TlsPolicy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Idle SMTP sessions kept for a short while (Postfix's smtp_connection_cache_time_limit, 2 s) so the next message
 * to the same exchanger reuses the connection. The key is the address and the TLS policy the session was opened
 * under, and a session is handed out only when its actual TLS state satisfies that policy: a message that needs TLS
 * never goes over a session that has none. Before reuse each session is checked with RSET; one that fails is
 * closed and the next (or a fresh connection) is used, so our own stale cache never defers a message.
 */
final class ConnectionCache {

    private record Key(InetSocketAddress address, TlsPolicy policy) {
    }

    private record Idle(SmtpSession session, long sinceNanos) {
    }

    private final Map<Key, Deque<Idle>> idle = new ConcurrentHashMap<>();
    private final int maxMessages;
    private final Duration maxAge;
    private final Duration keep;

    ConnectionCache(int maxMessages, Duration maxAge, Duration keep) {
        this.maxMessages = maxMessages;
        this.maxAge = maxAge;
        this.keep = keep;
    }

    /** A checked idle session to this address opened under this policy, or null. */
    SmtpSession take(InetSocketAddress address, TlsPolicy policy) {
        Deque<Idle> sessions = idle.get(new Key(address, policy));
        if (sessions == null) {
            return null;
        }
        long cutoff = System.nanoTime() - keep.toNanos();
        while (true) {
            Idle next;
            synchronized (sessions) {
                next = sessions.pollLast();
            }
            if (next == null) {
                return null;
            }
            SmtpSession s = next.session();
            if (next.sinceNanos() - cutoff > 0 && reusable(s) && policy.satisfiedBy(s.tls(), s.verified())
                    && s.reset()) {
                return s;
            }
            s.close();
        }
    }

    /** Whether a session may take one more message. */
    boolean reusable(SmtpSession session) {
        return session.usable() && session.transactions() < maxMessages && session.age().compareTo(maxAge) < 0;
    }

    /** Keeps the session for reuse, or closes it when it is spent. */
    void give(SmtpSession session) {
        if (!reusable(session)) {
            session.close();
            return;
        }
        Deque<Idle> sessions = idle.computeIfAbsent(new Key(session.remote(), session.policy()),
                k -> new ArrayDeque<>());
        synchronized (sessions) {
            sessions.addLast(new Idle(session, System.nanoTime()));
        }
    }

    /** Closes sessions idle for longer than the cache time (called a few times a second). */
    void closeIdle() {
        closeIdleFor(keep);
    }

    void closeAll() {
        closeIdleFor(Duration.ofNanos(-1_000_000_000L));
    }

    private void closeIdleFor(Duration limit) {
        long cutoff = System.nanoTime() - limit.toNanos();
        List<SmtpSession> stale = new ArrayList<>();
        for (Deque<Idle> sessions : idle.values()) {
            synchronized (sessions) {
                for (Iterator<Idle> it = sessions.iterator(); it.hasNext(); ) {
                    Idle i = it.next();
                    if (i.sinceNanos() - cutoff < 0) {
                        stale.add(i.session());
                        it.remove();
                    }
                }
            }
        }
        stale.forEach(SmtpSession::close);
    }
}
