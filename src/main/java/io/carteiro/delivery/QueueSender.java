package io.carteiro.delivery;

import io.carteiro.delivery.mx.Exchanger;
import io.carteiro.delivery.mx.MxLookup;
import io.carteiro.delivery.mx.MxResolver;
import io.carteiro.delivery.smtp.SessionOptions;
import io.carteiro.delivery.smtp.SmtpTimeouts;
import io.carteiro.delivery.throttle.DestinationLimits;
import io.carteiro.delivery.throttle.ShapingRule;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * The queue consumer: claims due rows in batches, renders and composes each message, routes each recipient domain
 * (MX or relay), delivers in chunks over reused connections, and writes every chunk's outcomes back as one batch.
 */
@ApplicationScoped
class QueueSender {

    private static final Logger LOG = Logger.getLogger(QueueSender.class);

    @Inject
    DeliveryConfig config;
    @Inject
    OutboundRepository repository;
    @Inject
    MxResolver mxResolver;
    @Inject
    Instance<MessageContentSource> contentSources;
    @Inject
    Instance<DeliveryOutcomeListener> listeners;
    @Inject
    Instance<QueueFilling> fills;
    @Inject
    VerpAddress verp;
    @Inject
    MessageIds messageIds;
    @Inject
    SendingIdentity identity;
    @Inject
    MessageSigner signer;
    @Inject
    Clock clock;
    @Inject
    MeterRegistry metrics;

    private final String owner = hostName() + "/" + ProcessHandle.current().pid() + "/"
            + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicBoolean running = new AtomicBoolean();
    private final Object wakeUp = new Object();
    private long wakeUps; // guarded by wakeUp
    private ExecutorService workers;
    private final List<Thread> loops = new ArrayList<>();
    private ConnectionCache connections;
    private DestinationLimits limits;
    private DomainDelivery delivery;
    private RetrySchedule retries;

    @PostConstruct
    void init() {
        workers = Executors.newFixedThreadPool(Math.max(1, config.sessions()), r -> {
            Thread t = new Thread(r, "carteiro-smtp");
            t.setDaemon(true);
            return t;
        });
        connections = new ConnectionCache(config.maxMessagesPerConnection(), config.maxConnectionAge());
        List<ShapingRule> rules = new ArrayList<>();
        config.throttle().rules().forEach((pattern, rule) ->
                rules.add(new ShapingRule(pattern, rule.connections(), rule.rate())));
        var t = config.throttle();
        limits = new DestinationLimits(new DestinationLimits.Settings(t.connectionsPerExchanger(), t.ratePerDomain(),
                t.globalRate(), t.suspendAfter(), t.suspendFor(), rules), clock);
        delivery = new DomainDelivery(connections, limits, clock);
        retries = new RetrySchedule(config.firstRetry(), config.maxRetryInterval(), RandomGenerator.getDefault());
        Gauge.builder("carteiro.delivery.queue.depth", repository, OutboundRepository::depth)
                .description("messages waiting to be sent (queued, deferred or being sent)").register(metrics);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.senderEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts the sender loops of this process. */
    synchronized void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        for (int i = 0; i < Math.max(1, config.senderLoops()); i++) {
            boolean sendsWhileFilling = i == 0;
            Thread loop = new Thread(() -> loop(sendsWhileFilling), "carteiro-sender-" + i);
            loop.setDaemon(true);
            loops.add(loop);
            loop.start();
        }
        LOG.infof("delivery engine started as %s", owner);
    }

    synchronized void stop() {
        running.set(false);
        for (Thread loop : loops) {
            loop.interrupt();
        }
        loops.clear();
        connections.closeAll();
    }

    /** Wakes the idle sender loops: messages became due (see {@link MessagesDue}). */
    void onMessagesDue(@Observes(during = TransactionPhase.AFTER_SUCCESS) MessagesDue event) {
        synchronized (wakeUp) {
            wakeUps++;
            wakeUp.notifyAll();
        }
    }

    private long wakeUps() {
        synchronized (wakeUp) {
            return wakeUps;
        }
    }

    /** Sleeps for the idle poll, or less when woken after {@code seen}. */
    private void idle(long seen) throws InterruptedException {
        long until = System.nanoTime() + config.idlePoll().toNanos();
        synchronized (wakeUp) {
            long left;
            while (wakeUps == seen && (left = until - System.nanoTime()) > 0) {
                wakeUp.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Whether the queue is being filled in bulk (see {@link QueueFilling}). */
    private boolean filling() {
        for (QueueFilling fill : fills) {
            if (fill.filling()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Claims and delivers until stopped. After an idle spell a loop claims one chunk, then twice as many each time
     * up to the batch size, so the first messages of a new campaign go out before a full batch is rendered. While
     * the queue fills, only the loop that {@code sendsWhileFilling} works, one chunk at a time, paced to
     * {@link DeliveryConfig#rateWhileFilling()}.
     */
    private void loop(boolean sendsWhileFilling) {
        int first = Math.max(1, Math.min(config.batchSize(), config.chunkSize()));
        int limit = first;
        while (running.get()) {
            try {
                long seen = wakeUps();
                if (filling()) {
                    limit = first;
                    if (sendsWhileFilling && config.rateWhileFilling() > 0) {
                        sendAtFillPace(first, seen);
                    } else {
                        idle(seen);
                    }
                    continue;
                }
                int claimed = runOnce(limit);
                connections.closeIdle(config.connectionIdle());
                if (claimed == 0) {
                    limit = first;
                    idle(seen);
                } else {
                    limit = Math.min(Math.max(1, config.batchSize()), limit * 2);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("delivery batch failed; its claims return when the lease ends", e);
                try {
                    Thread.sleep(config.idlePoll().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Sends one chunk, then waits out the rest of the time that chunk is worth at the fill pace. */
    private void sendAtFillPace(int chunk, long seen) throws InterruptedException {
        long started = System.nanoTime();
        int claimed = runOnce(chunk);
        if (claimed == 0) {
            idle(seen);
            return;
        }
        long due = started + (long) (claimed * 1e9 / config.rateWhileFilling());
        TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime())); // a pace, not a wait for an event
    }

    /** Claims one batch of due messages and delivers it; returns how many rows were claimed. */
    int runOnce() {
        return runOnce(config.batchSize());
    }

    private int runOnce(int limit) {
        Instant now = clock.instant();
        List<OutboundRow> rows = repository.claimDue(owner, now, config.lease(), limit);
        if (rows.isEmpty()) {
            return 0;
        }
        Instant deadline = now.plus(config.lease()).minus(config.lease().dividedBy(10));
        Map<Long, RenderedMessage> contents = render(rows);
        Map<String, List<OutboundRow>> byDomain = new LinkedHashMap<>();
        List<MessageResult> unrenderable = new ArrayList<>();
        for (OutboundRow row : rows) {
            if (contents.containsKey(row.id())) {
                byDomain.computeIfAbsent(row.recipientDomain(), d -> new ArrayList<>()).add(row);
            } else {
                unrenderable.add(finalResult(row, OutcomeKind.FAILED, null, null, "no content for this message"));
            }
        }
        if (!unrenderable.isEmpty()) {
            finish(unrenderable);
        }
        List<Future<?>> jobs = new ArrayList<>();
        int chunk = Math.max(1, config.chunkSize());
        for (Map.Entry<String, List<OutboundRow>> domain : byDomain.entrySet()) {
            List<OutboundRow> all = domain.getValue();
            for (int from = 0; from < all.size(); from += chunk) {
                List<OutboundRow> part = all.subList(from, Math.min(all.size(), from + chunk));
                jobs.add(workers.submit(() -> deliverChunk(domain.getKey(), part, contents, deadline)));
            }
        }
        for (Future<?> job : jobs) {
            try {
                job.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.error("delivery of a chunk failed; its claims return when the lease ends", e.getCause());
            }
        }
        return rows.size();
    }

    private Map<Long, RenderedMessage> render(List<OutboundRow> rows) {
        Map<Long, RenderedMessage> contents = new LinkedHashMap<>();
        List<MessageContentSource> sources = contentSources.stream()
                .sorted(Comparator.comparingInt(MessageContentSource::order)).toList();
        List<OutboundRow> left = rows;
        for (MessageContentSource source : sources) {
            if (left.isEmpty()) {
                break;
            }
            contents.putAll(source.renderAll(left));
            left = left.stream().filter(r -> !contents.containsKey(r.id())).toList();
        }
        return contents;
    }

    private void deliverChunk(String domain, List<OutboundRow> rows, Map<Long, RenderedMessage> contents,
                              Instant deadline) {
        List<MessageResult> results = new ArrayList<>(rows.size());
        Route route = null;
        MxLookup lookup = null;
        if (config.relay().host().isPresent()) {
            route = relayRoute(domain);
            if (route == null) {
                lookup = new MxLookup.Temporary("relay host " + config.relay().host().get() + " does not resolve");
            }
        } else {
            lookup = mxResolver.resolve(domain);
            if (lookup instanceof MxLookup.Found found) {
                route = new Route(domain, found.exchangers(), config.mxPort(), e -> mxOptions(domain, e));
                lookup = null;
            }
        }
        if (lookup instanceof MxLookup.Permanent permanent) {
            OutcomeKind kind = OutcomeKind.ofPermanent(permanent.enhancedStatus(), 550);
            for (OutboundRow row : rows) {
                results.add(finalResult(row, kind, null, permanent.enhancedStatus(), permanent.reason()));
            }
        } else if (lookup instanceof MxLookup.Temporary temporary) {
            for (OutboundRow row : rows) {
                AttemptRecord attempt = new AttemptRecord(row.id(), clock.instant(), null, null, null, "4.4.3",
                        temporary.reason(), OutcomeKind.DEFERRED, false);
                results.add(new MessageResult(row, messageIdOf(row), List.of(attempt), attempt, true));
            }
        } else {
            List<DomainDelivery.Prepared> prepared = new ArrayList<>(rows.size());
            for (OutboundRow row : rows) {
                String messageId = messageIdOf(row);
                try {
                    MessageComposer.Composed composed = MessageComposer.compose(row, contents.get(row.id()),
                            messageId, clock.instant());
                    byte[] bytes = signer.sign(row.sender(), composed).toBytes();
                    prepared.add(new DomainDelivery.Prepared(row, messageId, verp.returnPath(row.id()), bytes));
                } catch (RuntimeException e) {
                    results.add(finalResult(row, OutcomeKind.FAILED, null, "5.6.0",
                            "message could not be built: " + e.getMessage()));
                }
            }
            results.addAll(delivery.deliver(route, prepared, deadline));
        }
        finish(results);
    }

    private Route relayRoute(String domain) {
        String host = config.relay().host().get();
        try {
            Exchanger relay = new Exchanger(host, 0, List.of(InetAddress.getAllByName(host)));
            String mode = config.relay().tls().toLowerCase(Locale.ROOT);
            Optional<SessionOptions.Credentials> credentials = config.relay().username()
                    .map(u -> new SessionOptions.Credentials(u, config.relay().password().orElse("")));
            SessionOptions options = new SessionOptions(identity.ehloName(), host, timeouts(),
                    !mode.equals("none"), mode.equals("starttls"), config.tls().verifyCertificates(),
                    mode.equals("implicit") || mode.equals("tls"), credentials);
            return new Route(domain, List.of(relay), config.relay().port(), e -> options);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private SessionOptions mxOptions(String domain, Exchanger exchanger) {
        boolean required = config.tls().requiredDomains().orElse(List.of()).stream()
                .anyMatch(d -> d.equalsIgnoreCase(domain));
        return new SessionOptions(identity.ehloName(), exchanger.host(), timeouts(),
                config.tls().opportunistic() || required, required, config.tls().verifyCertificates(), false,
                Optional.empty());
    }

    private SmtpTimeouts timeouts() {
        var t = config.timeouts();
        return new SmtpTimeouts(t.connect(), t.greeting(), t.command(), t.dataStart(), t.dataBlock(), t.dataEnd());
    }

    private MessageResult finalResult(OutboundRow row, OutcomeKind kind, Integer code, String status, String text) {
        AttemptRecord attempt = new AttemptRecord(row.id(), clock.instant(), null, null, code, status, text, kind,
                false);
        return new MessageResult(row, messageIdOf(row), List.of(attempt), attempt, true);
    }

    /**
     * Stores the results of one chunk in one batch and tells the listeners about the final ones inside the same
     * transaction, so a crash never leaves an outcome without what the features make of it (a listener that fails
     * rolls the batch back; its claims return when the lease ends).
     */
    private void finish(List<MessageResult> results) {
        Instant now = clock.instant();
        List<String> states = new ArrayList<>(results.size());
        List<Instant> next = new ArrayList<>(results.size());
        List<DeliveryOutcome> finals = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            MessageResult result = results.get(i);
            AttemptRecord last = result.last();
            OutboundRow row = result.row();
            OutcomeKind kind = last.kind();
            Instant when = null;
            String text = last.reply();
            if (kind == OutcomeKind.DEFERRED) {
                Instant expires = row.expiresAt() != null ? row.expiresAt()
                        : row.createdAt().plus(config.giveUpAfter());
                when = result.counted() ? retries.next(now, row.attempts() + 1, expires) : now;
                if (when == null) {
                    kind = OutcomeKind.EXPIRED;
                    text = "gave up after " + (row.attempts() + 1) + " attempts: " + last.reply();
                } else {
                    Instant suspended = limits.suspendedUntil(row.recipientDomain());
                    if (suspended != null && suspended.isAfter(when)) {
                        when = suspended;
                    }
                }
            }
            states.add(kind == OutcomeKind.DEFERRED ? "deferred" : kind.finalState());
            next.add(when);
            if (kind != last.kind()) {
                AttemptRecord given = new AttemptRecord(last.outboundMessageId(), last.at(), last.exchanger(),
                        last.exchangerIp(), last.code(), last.enhancedStatus(), text, kind, last.tls());
                results.set(i, result = new MessageResult(row, result.messageId(), result.attempts(), given, true));
            }
            metrics.counter("carteiro.delivery.messages", "outcome", kind.column(), "domain",
                    row.recipientDomain()).increment();
            if (kind != OutcomeKind.DEFERRED) {
                finals.add(new DeliveryOutcome(row.id(), row.campaignId(), row.subscriberId(), row.listId(),
                        row.recipient(), result.messageId(), kind, last.code(), last.enhancedStatus(), text,
                        last.exchanger(), last.at()));
            }
        }
        repository.record(owner, results, states, next, () -> {
            if (!finals.isEmpty()) {
                for (DeliveryOutcomeListener listener : listeners) {
                    listener.onFinalOutcomes(finals);
                }
            }
        });
    }

    private String messageIdOf(OutboundRow row) {
        return messageIds.messageIdOf(row);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    String owner() {
        return owner;
    }
}
