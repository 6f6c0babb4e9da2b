package io.carteiro.delivery.smtp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces the deadlines a socket cannot: a blocking write has no timeout in Java, so a server that stops reading
 * would hold the sending thread until TCP gives up (minutes). One daemon thread looks at every open session ten
 * times a second and closes the socket of one whose write or whole transaction is past its deadline; the blocked
 * call then fails and the session reports the timeout.
 */
final class SessionWatchdog {

    static final long TICK_NANOS = 100_000_000L;

    private static final Set<SmtpSession> WATCHED = ConcurrentHashMap.newKeySet();

    static {
        Thread thread = new Thread(SessionWatchdog::watch, "carteiro-smtp-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    private SessionWatchdog() {
    }

    static void watch(SmtpSession session) {
        WATCHED.add(session);
    }

    static void forget(SmtpSession session) {
        WATCHED.remove(session);
    }

    /** Cuts every open session (the engine's shutdown after its grace). */
    static void cutAll(String reason) {
        for (SmtpSession session : WATCHED) {
            session.cut(reason);
        }
    }

    private static void watch() {
        while (true) {
            LockSupport.parkNanos(TICK_NANOS);
            long now = System.nanoTime();
            for (SmtpSession session : WATCHED) {
                session.expireIfLate(now);
            }
        }
    }
}
