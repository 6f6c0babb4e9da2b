package io.carteiro.bounces;

import io.carteiro.delivery.SendingIdentity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.CommandHandler;
import org.subethamail.smtp.server.SMTPServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Carteiro's inbound SMTP listener for the bounce domain(s). It takes mail for any local part of those domains
 * (VERP return paths, mailto unsubscribes, postmaster, abuse, and addresses a broken MTA made up), refuses every
 * other domain with 550 5.7.1 (never a relay), and hands each message to the {@link BounceRecorder}. Against a
 * hostile client it caps connections per address, keeps line and session deadlines ({@link GuardedServerSocket}),
 * spools DATA beyond a few kilobytes to disk ({@link MessageSpool}) and parses a few messages at a time.
 */
@ApplicationScoped
class BounceListener {

    private static final Logger LOG = Logger.getLogger(BounceListener.class);

    private static final Pattern VALID_SENDER = Pattern.compile("[^\\s<>@]+@[^\\s<>@]+");

    private final BounceConfig config;
    private final BounceRecorder recorder;
    private final String primaryDomain;
    private final Set<String> domains;
    private final MessageSpool spool;
    private final Semaphore processing;
    private final MeterRegistry registry;
    private final Counter forged;
    private final Counter relayRefused;
    private final Counter received;
    private volatile SMTPServer server;
    private volatile GuardedServerSocket socket;

    BounceListener(BounceConfig config, BounceRecorder recorder, SendingIdentity identity, MeterRegistry registry) {
        this.config = config;
        this.recorder = recorder;
        this.registry = registry;
        this.primaryDomain = identity.bounceDomain().toLowerCase(Locale.ROOT);
        Set<String> allowed = new LinkedHashSet<>();
        allowed.add(primaryDomain);
        config.extraDomains().orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).forEach(allowed::add);
        this.domains = Set.copyOf(allowed);
        this.spool = new MessageSpool(Path.of(config.spoolDir()), config.memoryPerMessage(), config.spoolLimit());
        this.processing = new Semaphore(Math.max(1, config.concurrentProcessing()), true);
        this.forged = Counter.builder("carteiro.bounce.forged.recipients")
                .description("RCPT TO addresses on the bounce domain whose signed token did not verify")
                .register(registry);
        this.relayRefused = Counter.builder("carteiro.bounce.relay.refused")
                .description("RCPT TO addresses outside the bounce domain(s), refused").register(registry);
        this.received = Counter.builder("carteiro.bounce.messages.received")
                .description("messages accepted by the bounce listener").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.listenerEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    synchronized void start() {
        if (server != null) {
            return;
        }
        spool.open();
        InetAddress bind = bindAddress();
        GuardedServerSocket.Limits limits = new GuardedServerSocket.Limits(config.maxConnectionsPerIp(),
                config.commandTimeout(), config.minDataRate(), config.sessionTimeout());
        SMTPServer.Builder builder = SMTPServer.port(config.listenerPort())
                .bindAddress(bind)
                .hostName(primaryDomain)
                .softwareName("Carteiro bounce listener")
                .messageHandlerFactory(Session::new)
                .maxMessageSize(config.maxMessageSize())
                .maxRecipients(config.maxRecipients())
                .maxConnections(config.maxConnections())
                .serverSocketFactory(() -> {
                    GuardedServerSocket s = new GuardedServerSocket(limits);
                    socket = s;
                    return s;
                })
                .connectionTimeoutMs((int) config.commandTimeout().toMillis())
                .insertReceivedHeaders(false);
        TlsContexts.fromPem(config.tlsCertificate(), config.tlsKey())
                .ifPresent(tls -> builder.enableTLS().startTlsSocketFactory(tls));
        SMTPServer started = builder.build();
        CommandHandler commands = started.getCommandHandler();
        commands.addCommand(new SizeCheckedMail(commands.getCommand("MAIL"), config.maxMessageSize()));
        started.start();
        server = started;
        Gauge.builder("carteiro.bounce.spool.bytes", spool, MessageSpool::used)
                .description("bytes of inbound messages being received, in the spool folder").register(registry);
        Gauge.builder("carteiro.bounce.connections.refused", this, l -> l.socket == null ? 0 : l.socket.refused())
                .description("connections turned away because their address held its share").register(registry);
        Gauge.builder("carteiro.bounce.sessions.timed-out", this, l -> l.socket == null ? 0 : l.socket.timedOut())
                .description("sessions closed because a line or the whole session took too long").register(registry);
        LOG.infof("bounce listener on %s:%d for %s", config.listenerHost(), started.getPortAllocated(), domains);
    }

    synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** The port actually bound (useful when configured as 0). */
    int port() {
        SMTPServer s = server;
        if (s == null) {
            throw new IllegalStateException("bounce listener is not running");
        }
        return s.getPortAllocated();
    }

    String primaryDomain() {
        return primaryDomain;
    }

    /** Open connections from one client address (what the per-address cap counts). */
    int openConnections(InetAddress address) {
        GuardedServerSocket s = socket;
        return s == null ? 0 : s.open(address);
    }

    private InetAddress bindAddress() {
        try {
            return InetAddress.getByName(config.listenerHost());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("carteiro.bounce.listener-host '" + config.listenerHost()
                    + "' is not an address of this machine", e);
        }
    }

    /**
     * Why a recipient is refused, or null when it is taken: any local part of the bounce domain(s) is, and the bare
     * {@code postmaster} (RFC 5321 §4.5.1); every other domain is relaying, refused.
     */
    String refusal(String address) {
        String a = address == null ? "" : address.strip();
        if (a.equalsIgnoreCase("postmaster")) {
            return null;
        }
        int at = a.lastIndexOf('@');
        if (at <= 0 || !domains.contains(a.substring(at + 1).toLowerCase(Locale.ROOT))) {
            relayRefused.increment();
            return "5.7.1 Relaying denied: this server only accepts mail for its bounce domain";
        }
        if (recorder.checkRecipient(canonical(a)) == BounceRecorder.RecipientKind.FORGED_TOKEN) {
            forged.increment();
        }
        return null;
    }

    /** The address on the primary bounce domain, which the signed tokens are made for (extra domains are aliases). */
    String canonical(String address) {
        String a = address.strip();
        if (a.equalsIgnoreCase("postmaster")) {
            return "postmaster@" + primaryDomain;
        }
        return a.substring(0, a.lastIndexOf('@') + 1) + primaryDomain;
    }

    /** One SMTP transaction; subethasmtp creates one per MAIL FROM. */
    private final class Session implements MessageHandler {

        private final List<String> recipients = new ArrayList<>();
        private String from;

        Session(MessageContext context) {
        }

        @Override
        public void from(String address) throws RejectException {
            String a = address == null ? "" : address.strip();
            if (!a.isEmpty() && !VALID_SENDER.matcher(a).matches()) {
                throw new RejectException(501, "5.1.7 Bad sender address syntax");
            }
            this.from = a;
        }

        @Override
        public void recipient(String address) throws RejectException {
            String refusal = refusal(address);
            if (refusal != null) {
                throw new RejectException(550, refusal);
            }
            recipients.add(canonical(address));
        }

        @Override
        public String data(InputStream data) throws RejectException, IOException {
            try (MessageSpool.Sink sink = spool.sink()) {
                read(data, sink);
                if (sink.overBudget()) {
                    throw new RejectException(452, "4.3.1 Insufficient system storage, try again later");
                }
                RawMessage raw = sink.message();
                received.increment();
                process(raw);
            }
            return null;
        }

        /** Records the message for each recipient, a few messages at a time across all sessions. */
        private void process(RawMessage raw) throws RejectException {
            boolean permitted = false;
            try {
                permitted = processing.tryAcquire(config.dataTimeout().toMillis(), TimeUnit.MILLISECONDS);
                if (!permitted) {
                    throw new RejectException(451, "4.3.0 Too busy to take the message now, try again later");
                }
                for (String rcpt : recipients) {
                    recorder.receive(new InboundMail(raw, from, rcpt, InboundMail.Channel.LISTENER, null));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RejectException(451, "4.3.0 Shutting down, try again later");
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not record a message for %d recipients; the sender will retry", recipients.size());
                throw new RejectException(451, "4.3.0 Temporary failure storing the message, try again later");
            } finally {
                if (permitted) {
                    processing.release();
                }
            }
        }

        /**
         * Reads DATA within the size limit and the data timeout into the spool. An oversized message is read to its
         * end (up to a bound) so the session can go on with a 552; a client that never stops or drips is
         * disconnected.
         */
        private void read(InputStream data, MessageSpool.Sink sink) throws IOException, RejectException {
            long deadline = System.nanoTime() + config.dataTimeout().toNanos();
            long max = config.maxMessageSize();
            long drainLimit = max * 4L;
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = data.read(buffer)) != -1) {
                total += n;
                if (total <= max) {
                    sink.write(buffer, 0, n);
                } else if (total > drainLimit) {
                    throw new DropConnectionException(552, "5.3.4 Message far too big, closing connection");
                }
                if (System.nanoTime() > deadline) {
                    throw new DropConnectionException(421, "4.4.2 Data not completed within "
                            + config.dataTimeout().toSeconds() + " s, closing connection");
                }
            }
            if (total > max) {
                throw new RejectException(552, "5.3.4 Message too big for this server (limit " + max + " bytes)");
            }
        }

        @Override
        public void done() {
        }
    }

    /** The listener's timeouts, for tests that wait them out. */
    Duration commandTimeout() {
        return config.commandTimeout();
    }
}
