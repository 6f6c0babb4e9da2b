package io.carteiro.delivery;

import io.carteiro.delivery.mx.Exchanger;
import io.carteiro.delivery.smtp.SessionOptions;
import io.carteiro.delivery.smtp.SessionStart;
import io.carteiro.delivery.smtp.SmtpReply;
import io.carteiro.delivery.smtp.SmtpSession;
import io.carteiro.delivery.smtp.TlsFailure;
import io.carteiro.delivery.smtp.Transaction;
import io.carteiro.delivery.throttle.DestinationLimits;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;

/**
 * One mail transaction with one exchanger address, for a delivery run: the session the run already holds to that
 * address, else a checked one from the cache, else a new connection; then the message over it. A reused session
 * that turns out dead before the server said anything is replaced at once by a fresh connection, so our own stale
 * session never costs the message a retry. Holds the run's session (and its connection slot) between messages.
 */
final class HostTransaction implements AutoCloseable {

    /** What the run does next with the message. */
    enum Next {
        /** A server decided it (2xx or 5xx). */
        DECIDED,
        /** A 4xx reply: another exchanger may take it. */
        NEXT_EXCHANGER,
        /** No session, or it broke: the next address. */
        NEXT_ADDRESS
    }

    /**
     * What one try came to.
     *
     * @param tls why there is no session when TLS is the reason (for a published policy's report), else null
     */
    record Result(Next next, AttemptRecord attempt, TlsFailure tls) {
    }

    private final ConnectionCache cache;
    private final DestinationLimits limits;
    private final Clock clock;
    private final String domain;
    private SmtpSession current;
    private DestinationLimits.Permit permit;

    HostTransaction(ConnectionCache cache, DestinationLimits limits, Clock clock, String domain) {
        this.cache = cache;
        this.limits = limits;
        this.clock = clock;
        this.domain = domain;
    }

    /** Sends the message to this address; appends every attempt (a TLS fallback too) to {@code log}. */
    Result send(Exchanger exchanger, InetAddress ip, int port, SessionOptions options,
                MessagePreparer.Prepared message, List<AttemptRecord> log) {
        InetSocketAddress address = new InetSocketAddress(ip, port);
        long id = message.row().id();
        boolean reused = current != null && current.remote().equals(address)
                && current.policy().equals(options.tls()) && cache.reusable(current);
        if (!reused) {
            let();
            permit = limits.acquire(exchanger.host(), domain);
            current = cache.take(address, options.tls());
            reused = current != null;
            if (current == null) {
                Result opened = open(exchanger, ip, address, options, id, log);
                if (opened != null) {
                    return opened;
                }
            }
        }
        limits.awaitRate(domain);
        Transaction t = current.send(message.returnPath(), message.row().recipient(), message.bytes());
        if (reused && t instanceof Transaction.ConnectionLost lost && lost.command() == Transaction.Command.MAIL) {
            current = null; // the server had closed it while it was idle: try once more on a new connection
            Result opened = open(exchanger, ip, address, options, id, log);
            if (opened != null) {
                return opened;
            }
            t = current.send(message.returnPath(), message.row().recipient(), message.bytes());
        }
        return result(exchanger, ip, id, t, log);
    }

    private Result result(Exchanger exchanger, InetAddress ip, long id, Transaction t, List<AttemptRecord> log) {
        boolean tls = current != null && current.tls();
        if (t instanceof Transaction.Replied replied) {
            SmtpReply reply = replied.reply();
            limits.recordReply(exchanger.host(), domain, reply.code());
            OutcomeKind kind = OutcomeKind.of(reply);
            AttemptRecord attempt = new AttemptRecord(id, clock.instant(), exchanger.host(), ip.getHostAddress(),
                    reply.code(), reply.enhancedStatus(), reply.text(), replied.command().label(), kind, tls);
            log.add(attempt);
            if (!current.usable()) {
                let();
            }
            return new Result(kind == OutcomeKind.DEFERRED ? Next.NEXT_EXCHANGER : Next.DECIDED, attempt, null);
        }
        Transaction.ConnectionLost lost = (Transaction.ConnectionLost) t;
        limits.recordReply(exchanger.host(), domain, 421);
        AttemptRecord attempt = new AttemptRecord(id, clock.instant(), exchanger.host(), ip.getHostAddress(), null,
                "4.4.2", "connection lost waiting for the reply to " + lost.command().label() + ": "
                + lost.reason(), lost.command().label(), OutcomeKind.DEFERRED, tls);
        log.add(attempt);
        let();
        return new Result(Next.NEXT_ADDRESS, attempt, null);
    }

    /** Opens a session into {@link #current}; returns null when it is ready, else the failed try. */
    private Result open(Exchanger exchanger, InetAddress ip, InetSocketAddress address, SessionOptions options,
                        long id, List<AttemptRecord> log) {
        SessionStart start = SmtpSession.open(address, options);
        if (start instanceof SessionStart.Ready ready) {
            current = ready.session();
            if (ready.tlsTrouble() != null) {
                // Opportunistic TLS that broke: recorded, and the message goes on in plain text as Postfix does.
                log.add(new AttemptRecord(id, clock.instant(), exchanger.host(), ip.getHostAddress(), null, "4.7.5",
                        ready.tlsTrouble(), "TLS handshake", OutcomeKind.DEFERRED, false));
            }
            return null;
        }
        AttemptRecord attempt;
        TlsFailure tls;
        if (start instanceof SessionStart.Refused refused) {
            SmtpReply reply = refused.reply();
            limits.recordReply(exchanger.host(), domain, reply.code());
            // A server that refuses the session is not refusing this recipient: try elsewhere, later.
            attempt = new AttemptRecord(id, clock.instant(), exchanger.host(), ip.getHostAddress(), reply.code(),
                    reply.enhancedStatus(), reply.text(), refused.phase(), OutcomeKind.DEFERRED, false);
            tls = refused.phase().equals("STARTTLS") ? TlsFailure.STARTTLS_NOT_SUPPORTED : null;
        } else {
            SessionStart.Unreachable unreachable = (SessionStart.Unreachable) start;
            tls = unreachable.tls();
            attempt = new AttemptRecord(id, clock.instant(), exchanger.host(), ip.getHostAddress(), null,
                    tls != null ? "4.7.5" : "4.4.1", unreachable.reason(), tls != null ? "TLS" : "connect",
                    OutcomeKind.DEFERRED, false);
        }
        log.add(attempt);
        let();
        return new Result(Next.NEXT_ADDRESS, attempt, tls);
    }

    /** Lets go of the current session: back to the cache when it can take more, and of its connection slot. */
    private void let() {
        if (current != null) {
            cache.give(current);
            current = null;
        }
        if (permit != null) {
            permit.release();
            permit = null;
        }
    }

    @Override
    public void close() {
        let();
    }
}
