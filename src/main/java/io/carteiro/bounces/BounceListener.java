package io.carteiro.bounces;

import io.carteiro.web.LogSafe;
import io.carteiro.delivery.SendingIdentity;
import io.micrometer.core.instrument.Counter;
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
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.SessionHandler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Carteiro's inbound SMTP listener for the bounce domain(s): it takes DSNs, feedback reports and mailto
 * unsubscribes addressed to genuine signed addresses, refuses every other recipient with 550 5.7.1 (never a relay),
 * and hands each message to the {@link BounceRecorder}.
 */
@ApplicationScoped
class BounceListener {

    private static final Logger LOG = Logger.getLogger(BounceListener.class);

    private static final Pattern VALID_SENDER = Pattern.compile("[^\\s<>@]+@[^\\s<>@]+");

    private final BounceConfig config;
    private final BounceRecorder recorder;
    private final String primaryDomain;
    private final Set<String> domains;
    private final Counter forged;
    private final Counter relayRefused;
    private final Counter received;
    private volatile SMTPServer server;

    BounceListener(BounceConfig config, BounceRecorder recorder, SendingIdentity identity, MeterRegistry registry) {
        this.config = config;
        this.recorder = recorder;
        this.primaryDomain = identity.bounceDomain().toLowerCase(Locale.ROOT);
        Set<String> allowed = new LinkedHashSet<>();
        allowed.add(primaryDomain);
        config.extraDomains().orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).forEach(allowed::add);
        this.domains = Set.copyOf(allowed);
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
        SMTPServer.Builder builder = SMTPServer.port(config.listenerPort())
                .bindAddress(bindAddress())
                .hostName(primaryDomain)
                .softwareName("Carteiro bounce listener")
                .messageHandlerFactory(Session::new)
                .maxMessageSize(config.maxMessageSize())
                .maxRecipients(config.maxRecipients())
                .maxConnections(config.maxConnections())
                .sessionHandler(SessionHandler.limitConcurrentSessionsBySource(config.maxConnectionsPerIp()))
                .connectionTimeoutMs((int) config.commandTimeout().toMillis())
                .insertReceivedHeaders(false);
        TlsContexts.fromPem(config.tlsCertificate(), config.tlsKey())
                .ifPresent(tls -> builder.enableTLS().startTlsSocketFactory(tls));
        SMTPServer started = builder.build();
        started.start();
        server = started;
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

    private InetAddress bindAddress() {
        try {
            return InetAddress.getByName(config.listenerHost());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("carteiro.bounce.listener-host '" + config.listenerHost()
                    + "' is not an address of this machine", e);
        }
    }

    /** Why a recipient was refused, or null when it is accepted. */
    String refusal(String address) {
        String a = address == null ? "" : address.strip();
        int at = a.lastIndexOf('@');
        if (at <= 0 || !domains.contains(a.substring(at + 1).toLowerCase(Locale.ROOT))) {
            relayRefused.increment();
            return "5.7.1 Relaying denied: this server only accepts mail for its bounce domain";
        }
        if (recorder.checkRecipient(canonical(a)) != BounceRecorder.RecipientCheck.ACCEPTED) {
            forged.increment();
            return "5.7.1 No such bounce address (unknown or altered token)";
        }
        return null;
    }

    /** The address on the primary bounce domain, which the signed tokens are made for (extra domains are aliases). */
    String canonical(String address) {
        String a = address.strip();
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
            byte[] raw = read(data);
            received.increment();
            for (String rcpt : recipients) {
                try {
                    recorder.receive(new InboundMail(raw, from, rcpt, InboundMail.Channel.LISTENER, null));
                } catch (RuntimeException e) {
                    LOG.warnf(e, "could not record a message for %s; the sender will retry", LogSafe.quote(rcpt));
                    throw new RejectException(451, "4.3.0 Temporary failure storing the message, try again later");
                }
            }
            return null;
        }

        /**
         * Reads DATA within the size limit and the data timeout. An oversized message is read to its end (up to a
         * bound) so the session can go on with a 552; a client that never stops or drips is disconnected.
         */
        private byte[] read(InputStream data) throws IOException, RejectException {
            long deadline = System.nanoTime() + config.dataTimeout().toNanos();
            long max = config.maxMessageSize();
            long drainLimit = max * 4L;
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = data.read(buffer, 0, Math.max(1, Math.min(buffer.length, data.available())))) != -1) {
                total += n;
                if (total <= max) {
                    out.write(buffer, 0, n);
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
            return out.toByteArray();
        }

        @Override
        public void done() {
        }
    }
}
