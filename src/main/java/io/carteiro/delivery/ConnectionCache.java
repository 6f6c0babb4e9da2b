package io.carteiro.delivery;

import io.carteiro.delivery.smtp.SmtpSession;

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
 * Idle SMTP sessions kept open per exchanger address, so the next messages to the same exchanger reuse the
 * connection; a session is retired after a number of messages or an age, and closed when idle too long.
 */
final class ConnectionCache {

    private record Idle(SmtpSession session, long sinceNanos) {
    }

    private final Map<InetSocketAddress, Deque<Idle>> idle = new ConcurrentHashMap<>();
    private final int maxMessages;
    private final Duration maxAge;

    ConnectionCache(int maxMessages, Duration maxAge) {
        this.maxMessages = maxMessages;
        this.maxAge = maxAge;
    }

    /** A usable idle session to this address, or null. */
    SmtpSession take(InetSocketAddress address) {
        Deque<Idle> sessions = idle.get(address);
        if (sessions == null) {
            return null;
        }
        while (true) {
            Idle next;
            synchronized (sessions) {
                next = sessions.pollLast();
            }
            if (next == null) {
                return null;
            }
            if (reusable(next.session())) {
                return next.session();
            }
            next.session().close();
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
        Deque<Idle> sessions = idle.computeIfAbsent(session.remote(), a -> new ArrayDeque<>());
        synchronized (sessions) {
            sessions.addLast(new Idle(session, System.nanoTime()));
        }
    }

    /** Closes sessions idle for longer than {@code limit}. */
    void closeIdle(Duration limit) {
        long cutoff = System.nanoTime() - limit.toNanos();
        List<SmtpSession> stale = new ArrayList<>();
        for (Deque<Idle> sessions : idle.values()) {
            synchronized (sessions) {
                for (Iterator<Idle> it = sessions.iterator(); it.hasNext(); ) {
                    Idle i = it.next();
                    if (i.sinceNanos() < cutoff) {
                        stale.add(i.session());
                        it.remove();
                    }
                }
            }
        }
        stale.forEach(SmtpSession::close);
    }

    void closeAll() {
        closeIdle(Duration.ofNanos(-1_000_000_000L));
    }
}
