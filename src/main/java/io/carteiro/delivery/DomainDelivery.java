package io.carteiro.delivery;

import io.carteiro.delivery.mx.Exchanger;
import io.carteiro.delivery.smtp.SessionOptions;
import io.carteiro.delivery.smtp.SessionStart;
import io.carteiro.delivery.smtp.SmtpReply;
import io.carteiro.delivery.smtp.SmtpSession;
import io.carteiro.delivery.smtp.Transaction;
import io.carteiro.delivery.throttle.DestinationLimits;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands a group of messages for one domain to its exchangers, in order: each message goes over a reused connection;
 * on connection trouble the next address or exchanger takes the remaining messages; a message answered with 4xx
 * by a non-final exchanger is offered to the next one; whatever no exchanger decided is deferred.
 */
final class DomainDelivery {

    /** A message ready for the wire. */
    record Prepared(OutboundRow row, String messageId, String returnPath, byte[] bytes) {
    }

    private final ConnectionCache connections;
    private final DestinationLimits limits;
    private final Clock clock;

    DomainDelivery(ConnectionCache connections, DestinationLimits limits, Clock clock) {
        this.connections = connections;
        this.limits = limits;
        this.clock = clock;
    }

    /** Delivers and returns, per message, its attempts and deciding outcome (deferred when undecided). */
    List<MessageResult> deliver(Route route, List<Prepared> messages, Instant deadline) {
        Map<Long, List<AttemptRecord>> attempts = new LinkedHashMap<>();
        Map<Long, AttemptRecord> decided = new LinkedHashMap<>();
        List<Prepared> pending = new ArrayList<>(messages);
        AttemptRecord lastTrouble = null;
        List<Exchanger> exchangers = route.exchangers();
        for (int e = 0; e < exchangers.size() && !pending.isEmpty(); e++) {
            Exchanger exchanger = exchangers.get(e);
            boolean finalExchanger = e == exchangers.size() - 1;
            if (limits.suspended(exchanger.host(), route.domain())) {
                lastTrouble = trouble(null, exchanger, null, null, "4.4.5",
                        "destination suspended after repeated temporary failures", false);
                continue;
            }
            List<Prepared> carry = new ArrayList<>();
            for (InetAddress ip : exchanger.addresses()) {
                if (pending.isEmpty()) {
                    break;
                }
                InetSocketAddress address = new InetSocketAddress(ip, route.port());
                SessionOptions options = route.options().apply(exchanger);
                DestinationLimits.Permit permit = limits.acquire(exchanger.host(), route.domain());
                try {
                    SmtpSession session = connections.take(address);
                    while (!pending.isEmpty()) {
                        if (clock.instant().isAfter(deadline)) {
                            break;
                        }
                        if (limits.suspended(exchanger.host(), route.domain())) {
                            lastTrouble = trouble(null, exchanger, ip, null, "4.4.5",
                                    "destination suspended after repeated temporary failures", false);
                            break;
                        }
                        if (session == null || !connections.reusable(session)) {
                            if (session != null) {
                                session.close();
                            }
                            session = null;
                            SessionStart start = SmtpSession.open(address, options);
                            if (start instanceof SessionStart.Unreachable u && u.tlsTrouble() && !options.requireTls()
                                    && options.startTls()) {
                                // Opportunistic TLS that breaks: deliver in plain text, as Postfix does.
                                options = withoutTls(options);
                                start = SmtpSession.open(address, options);
                            }
                            if (start instanceof SessionStart.Ready ready) {
                                session = ready.session();
                            } else {
                                lastTrouble = startTrouble(start, exchanger, ip);
                                for (Prepared p : pending) {
                                    attempts.computeIfAbsent(p.row().id(), id -> new ArrayList<>())
                                            .add(withMessage(lastTrouble, p.row().id()));
                                }
                                if (start instanceof SessionStart.Refused refused) {
                                    limits.recordReply(exchanger.host(), route.domain(), refused.reply().code());
                                }
                                break;
                            }
                        }
                        Prepared message = pending.get(0);
                        limits.awaitRate(route.domain());
                        Transaction t = session.send(message.returnPath(), message.row().recipient(),
                                message.bytes());
                        Instant at = clock.instant();
                        if (t instanceof Transaction.Replied replied) {
                            SmtpReply reply = replied.reply();
                            limits.recordReply(exchanger.host(), route.domain(), reply.code());
                            OutcomeKind kind = OutcomeKind.of(reply);
                            AttemptRecord attempt = new AttemptRecord(message.row().id(), at, exchanger.host(),
                                    ip.getHostAddress(), reply.code(), reply.enhancedStatus(), reply.text(), kind,
                                    session.tls());
                            attempts.computeIfAbsent(message.row().id(), id -> new ArrayList<>()).add(attempt);
                            pending.remove(0);
                            if (kind == OutcomeKind.DEFERRED && !finalExchanger) {
                                carry.add(message);
                            } else {
                                decided.put(message.row().id(), attempt);
                            }
                            if (reply.code() == 421) {
                                session.close();
                            }
                        } else {
                            Transaction.ConnectionLost lost = (Transaction.ConnectionLost) t;
                            lastTrouble = new AttemptRecord(message.row().id(), at, exchanger.host(),
                                    ip.getHostAddress(), null, "4.4.2", "connection lost during "
                                    + lost.phase() + ": " + lost.reason(), OutcomeKind.DEFERRED, session.tls());
                            attempts.computeIfAbsent(message.row().id(), id -> new ArrayList<>()).add(lastTrouble);
                            limits.recordReply(exchanger.host(), route.domain(), 421);
                            session = null;
                            break;
                        }
                    }
                    if (session != null) {
                        connections.give(session);
                    }
                } finally {
                    permit.release();
                }
            }
            pending.addAll(carry);
        }
        List<MessageResult> results = new ArrayList<>(messages.size());
        for (Prepared p : messages) {
            long id = p.row().id();
            List<AttemptRecord> tried = attempts.getOrDefault(id, List.of());
            AttemptRecord last = decided.get(id);
            boolean counted = true;
            if (last == null) {
                if (!tried.isEmpty()) {
                    last = tried.get(tried.size() - 1);
                } else if (lastTrouble != null) {
                    last = withMessage(lastTrouble, id);
                    tried = List.of(last);
                } else {
                    last = new AttemptRecord(id, clock.instant(), null, null, null, null,
                            "not tried before the batch deadline", OutcomeKind.DEFERRED, false);
                    counted = false;
                }
                if (last.kind() != OutcomeKind.DEFERRED) {
                    last = new AttemptRecord(id, last.at(), last.exchanger(), last.exchangerIp(), last.code(),
                            last.enhancedStatus(), last.reply(), OutcomeKind.DEFERRED, last.tls());
                }
            }
            results.add(new MessageResult(p.row(), p.messageId(), counted ? tried : List.of(), last, counted));
        }
        return results;
    }

    private AttemptRecord startTrouble(SessionStart start, Exchanger exchanger, InetAddress ip) {
        Instant at = clock.instant();
        if (start instanceof SessionStart.Refused refused) {
            SmtpReply reply = refused.reply();
            // A server that refuses the session is not refusing this recipient: try elsewhere, later.
            return new AttemptRecord(0, at, exchanger.host(), ip.getHostAddress(), reply.code(),
                    reply.enhancedStatus(), refused.phase() + ": " + reply.text(), OutcomeKind.DEFERRED, false);
        }
        SessionStart.Unreachable unreachable = (SessionStart.Unreachable) start;
        return new AttemptRecord(0, at, exchanger.host(), ip.getHostAddress(), null,
                unreachable.tlsTrouble() ? "4.7.5" : "4.4.1", unreachable.reason(), OutcomeKind.DEFERRED, false);
    }

    private AttemptRecord trouble(Long id, Exchanger exchanger, InetAddress ip, Integer code, String status,
                                  String text, boolean tls) {
        return new AttemptRecord(id == null ? 0 : id, clock.instant(), exchanger.host(),
                ip == null ? null : ip.getHostAddress(), code, status, text, OutcomeKind.DEFERRED, tls);
    }

    private static SessionOptions withoutTls(SessionOptions o) {
        return new SessionOptions(o.ehloName(), o.serverName(), o.timeouts(), false, false, o.verifyCertificate(),
                o.implicitTls(), o.credentials());
    }

    private static AttemptRecord withMessage(AttemptRecord a, long id) {
        return new AttemptRecord(id, a.at(), a.exchanger(), a.exchangerIp(), a.code(), a.enhancedStatus(), a.reply(),
                a.kind(), a.tls());
    }
}
