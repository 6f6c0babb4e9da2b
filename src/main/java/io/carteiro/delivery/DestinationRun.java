package io.carteiro.delivery;

import io.carteiro.delivery.mx.Exchanger;
import io.carteiro.delivery.mx.MxLookup;
import io.carteiro.delivery.smtp.SessionOptions;
import io.carteiro.delivery.smtp.TlsPolicy;
import io.carteiro.delivery.throttle.DestinationLimits;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One delivery run of one destination, on one worker thread: finds the route once, then takes the destination's
 * messages one at a time and hands each to the exchangers in order (the next address or exchanger when one cannot
 * be reached, the next exchanger after a 4xx), over one session it keeps between messages. Each message's result
 * goes to the recorder the moment it is known; the run ends when its destination has no message left for it.
 */
final class DestinationRun implements Runnable {

    private static final Logger LOG = Logger.getLogger(DestinationRun.class);

    /** What every run uses. */
    record Parts(Routes routes, MessagePreparer preparer, ConnectionCache cache, DestinationLimits limits,
                 OutcomeRecorder recorder, Clock clock, boolean shareByMxHosts) {
    }

    private final DestinationScheduler scheduler;
    private final DestinationScheduler.Slot slot;
    private final Parts parts;
    /** Addresses that could not be used in this run, and why: later messages skip them. */
    private final Map<InetSocketAddress, AttemptRecord> unusable = new HashMap<>();
    /** Addresses whose certificate failed a published policy in mode testing: later messages go without checking. */
    private final Set<InetSocketAddress> unverified = new HashSet<>();

    DestinationRun(DestinationScheduler scheduler, DestinationScheduler.Slot slot, Parts parts) {
        this.scheduler = scheduler;
        this.slot = slot;
        this.parts = parts;
    }

    @Override
    public void run() {
        String domain = slot.destination.domain;
        try (HostTransaction host = new HostTransaction(parts.cache(), parts.limits(), parts.clock(), domain)) {
            Routes.Lookup lookup = parts.routes().resolve(domain);
            if (parts.shareByMxHosts() && lookup instanceof Routes.Found found
                    && !scheduler.admit(slot, mxHostsKey(found.route()))) {
                return; // the window of these MX hosts is full; a run of theirs that ends starts this domain's
            }
            Claimed message = scheduler.next(slot);
            while (message != null) {
                MessageResult result;
                try {
                    result = lookup instanceof Routes.Found found ? deliver(found.route(), message, host)
                            : noRoute(((Routes.NoRoute) lookup).failure(), message.row());
                } catch (RuntimeException e) {
                    LOG.errorf(e, "delivery of message %d failed unexpectedly", message.row().id());
                    result = untried(message.row(), parts.preparer().messageIdOf(message.row()), "not tried: " + e);
                }
                parts.recorder().submit(result);
                scheduler.settled(message.row().id());
                message = scheduler.next(slot);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "a delivery run for %s failed", domain);
        } finally {
            scheduler.runEnded(slot);
        }
    }

    /** The window key of a route's exchangers in mx-hosts mode: their names, sorted. */
    static String mxHostsKey(Route route) {
        TreeSet<String> hosts = new TreeSet<>();
        route.exchangers().forEach(e -> hosts.add(DomainTlsPolicy.stripDot(e.host().toLowerCase(Locale.ROOT))));
        return "mx:" + String.join(",", hosts);
    }

    private MessageResult deliver(Route route, Claimed claimed, HostTransaction host) {
        OutboundRow row = claimed.row();
        MessagePreparer.Prepared message;
        try {
            message = parts.preparer().prepare(row, claimed.content());
        } catch (RuntimeException e) {
            return settled(row, List.of(), AttemptRecord.note(row.id(), parts.clock().instant(), "5.6.0",
                    "message could not be built: " + e.getMessage(), OutcomeKind.FAILED));
        }
        List<AttemptRecord> log = new ArrayList<>();
        DomainTlsPolicy published = route.published();
        List<Exchanger> exchangers = route.exchangers();
        for (int i = 0; i < exchangers.size(); i++) {
            Exchanger exchanger = exchangers.get(i);
            boolean last = i == exchangers.size() - 1;
            if (parts.limits().suspended(exchanger.host(), route.domain())) {
                log.add(AttemptRecord.note(row.id(), parts.clock().instant(), "4.4.5",
                        exchanger.host() + " is suspended after repeated temporary failures", OutcomeKind.DEFERRED));
                continue;
            }
            if (!published.allowsMx(exchanger.host())) {
                String detail = "MX " + exchanger.host() + " is not among the MX hosts of the MTA-STS policy of "
                        + route.domain();
                parts.routes().policyFailed(route.domain(), exchanger.host(), "validation-failure", detail);
                if (published instanceof DomainTlsPolicy.Enforce) {
                    log.add(AttemptRecord.note(row.id(), parts.clock().instant(), "4.7.5", detail + " (enforce)",
                            OutcomeKind.DEFERRED));
                    continue;
                }
                log.add(AttemptRecord.note(row.id(), parts.clock().instant(), null, detail
                        + " (testing: delivered anyway)", OutcomeKind.DEFERRED));
            }
            SessionOptions options = route.options().apply(exchanger);
            for (InetAddress ip : exchanger.addresses()) {
                InetSocketAddress address = new InetSocketAddress(ip, route.port());
                AttemptRecord known = unusable.get(address);
                if (known != null) {
                    log.add(known.forMessage(row.id()));
                    continue;
                }
                HostTransaction.Result r;
                if (unverified.contains(address)) {
                    log.add(withoutVerification(row, exchanger, "certificate not verified earlier in this run"));
                    r = host.send(exchanger, ip, route.port(), options.with(TlsPolicy.may()), message, log);
                } else {
                    r = host.send(exchanger, ip, route.port(), options, message, log);
                    if (r.tls() != null && options.tls().verifiesCertificate()
                            && !(published instanceof DomainTlsPolicy.None)) {
                        parts.routes().policyFailed(route.domain(), exchanger.host(), r.tls().wire(),
                                r.attempt().reply());
                        if (published instanceof DomainTlsPolicy.Testing) {
                            unverified.add(address);
                            log.add(withoutVerification(row, exchanger, r.attempt().reply()));
                            r = host.send(exchanger, ip, route.port(), options.with(TlsPolicy.may()), message, log);
                        }
                    }
                }
                if (r.next() == HostTransaction.Next.NEXT_ADDRESS) {
                    slot.window.failure();
                    unusable.put(address, r.attempt());
                    continue;
                }
                slot.window.success();
                if (r.next() == HostTransaction.Next.DECIDED || last) {
                    return settled(row, log, r.attempt());
                }
                break; // a 4xx: the next exchanger may take it
            }
        }
        AttemptRecord last = log.isEmpty() ? AttemptRecord.note(row.id(), parts.clock().instant(), "4.4.4",
                "no exchanger of " + route.domain() + " could be tried", OutcomeKind.DEFERRED) : log.get(log.size() - 1);
        return settled(row, log, last.kind() == OutcomeKind.DEFERRED ? last : last.as(OutcomeKind.DEFERRED,
                last.reply()));
    }

    /** The attempt log's note that a policy in mode testing failed and the message goes on without it. */
    private AttemptRecord withoutVerification(OutboundRow row, Exchanger exchanger, String why) {
        return new AttemptRecord(row.id(), parts.clock().instant(), exchanger.host(), null, null, null,
                "MTA-STS (testing): " + why + "; delivered without a verified certificate", "TLS",
                OutcomeKind.DEFERRED, false);
    }

    private MessageResult noRoute(MxLookup failure, OutboundRow row) {
        if (failure instanceof MxLookup.Permanent permanent) {
            OutcomeKind kind = OutcomeKind.ofPermanent(permanent.enhancedStatus(), 550);
            return settled(row, List.of(), AttemptRecord.note(row.id(), parts.clock().instant(),
                    permanent.enhancedStatus(), permanent.reason(), kind));
        }
        MxLookup.Temporary temporary = (MxLookup.Temporary) failure;
        return settled(row, List.of(), AttemptRecord.note(row.id(), parts.clock().instant(), "4.4.3",
                temporary.reason(), OutcomeKind.DEFERRED));
    }

    private MessageResult settled(OutboundRow row, List<AttemptRecord> log, AttemptRecord last) {
        List<AttemptRecord> attempts = log.isEmpty() ? List.of(last) : List.copyOf(log);
        return new MessageResult(row, parts.preparer().messageIdOf(row), attempts, last, true);
    }

    /** A message the engine did not try (not counted as an attempt). */
    static MessageResult untried(OutboundRow row, String messageId, String why) {
        AttemptRecord note = AttemptRecord.note(row.id(), java.time.Instant.now(), null, why, OutcomeKind.DEFERRED);
        return new MessageResult(row, messageId, List.of(), note, false);
    }
}
