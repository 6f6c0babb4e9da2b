package io.carteiro.delivery;

import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real SMTP server (subethasmtp) on one loopback address for delivery tests, answering every transaction the way
 * its {@link Behaviour} says and keeping what it accepted.
 */
public final class TestSmtpServer implements AutoCloseable {

    /** How the server answers. */
    public enum Behaviour {
        ACCEPT,
        /** Accepts, taking 20 ms per message (to catch a sender mid-batch). */
        ACCEPT_SLOWLY,
        /** 421 4.3.2 to RCPT (service shutting down). */
        DEFER_421,
        /** 451 4.3.0 to RCPT (local error, try later). */
        DEFER_451,
        /** 550 5.1.1 to RCPT (no such user). */
        REJECT_RECIPIENT,
        /** 554 5.7.1 after DATA (policy). */
        REJECT_POLICY,
        /** Waits longer than the client's end-of-data timeout before answering. */
        STALL_AFTER_DATA
    }

    /** One accepted message. */
    public record Received(String sessionId, String from, String to, byte[] data) {
        public String text() {
            return new String(data, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final SMTPServer server;
    private final String address;
    private volatile Behaviour behaviour;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    private final Set<String> logins = ConcurrentHashMap.newKeySet();

    private TestSmtpServer(String address, int port, Behaviour behaviour, boolean brokenStartTls,
                           javax.net.ssl.SSLContext tls, String user, String password) {
        this(address, port, behaviour, brokenStartTls, tls, user, password, 0);
    }

    private TestSmtpServer(String address, int port, Behaviour behaviour, boolean brokenStartTls,
                           javax.net.ssl.SSLContext tls, String user, String password, int maxSize) {
        this.address = address;
        this.behaviour = behaviour;
        try {
            SMTPServer.Builder builder = SMTPServer.port(port).bindAddress(InetAddress.getByName(address))
                    .hostName("mx.test").messageHandlerFactory(this::handler);
            if (maxSize > 0) {
                builder.maxMessageSize(maxSize); // announced as SIZE in the EHLO reply
            }
            if (brokenStartTls) {
                // Offers STARTTLS but has no certificate: every handshake fails.
                builder.enableTLS();
            }
            if (tls != null) {
                builder.enableTLS().startTlsSocketFactory(tls).requireTLS();
            }
            if (user != null) {
                builder.requireAuth().authenticationHandlerFactory(
                        new org.subethamail.smtp.auth.PlainAuthenticationHandlerFactory((u, p, context) -> {
                            if (!u.equals(user) || !p.equals(password)) {
                                throw new org.subethamail.smtp.auth.LoginFailedException("535 5.7.8 bad login");
                            }
                            logins.add(u);
                        }));
            }
            server = builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.start();
    }

    public static TestSmtpServer start(String address, int port, Behaviour behaviour) {
        return new TestSmtpServer(address, port, behaviour, false, null, null, null);
    }

    /** A server announcing a fixed message size limit (RFC 1870 SIZE). */
    public static TestSmtpServer startWithSizeLimit(String address, int port, int maxSize) {
        return new TestSmtpServer(address, port, Behaviour.ACCEPT, false, null, null, null, maxSize);
    }

    /** A server that advertises STARTTLS but cannot complete a handshake. */
    public static TestSmtpServer startWithBrokenStartTls(String address, int port) {
        return new TestSmtpServer(address, port, Behaviour.ACCEPT, true, null, null, null);
    }

    /** A submission server (smarthost) that requires STARTTLS and then AUTH PLAIN with these credentials. */
    public static TestSmtpServer startSubmission(String address, int port, javax.net.ssl.SSLContext tls,
                                                 String user, String password) {
        return new TestSmtpServer(address, port, Behaviour.ACCEPT, false, tls, user, password);
    }

    /** A server offering a working STARTTLS with this certificate. */
    public static TestSmtpServer startWithStartTls(String address, int port, javax.net.ssl.SSLContext tls) {
        return new TestSmtpServer(address, port, Behaviour.ACCEPT, false, tls, null, null);
    }

    /** User names that logged in with AUTH. */
    public Set<String> logins() {
        return logins;
    }

    public String address() {
        return address;
    }

    public List<Received> received() {
        return received;
    }

    /** How many SMTP sessions (connections) carried a transaction. */
    public int sessions() {
        return sessions.size();
    }

    public void behave(Behaviour next) {
        behaviour = next;
    }

    private MessageHandler handler(MessageContext context) {
        return new MessageHandler() {
            private String from;
            private String to;

            @Override
            public void from(String from) {
                this.from = from;
                sessions.add(context.getSessionId());
            }

            @Override
            public void recipient(String recipient) throws RejectException {
                switch (behaviour) {
                    case DEFER_421 -> throw new RejectException(421, "4.3.2 Service shutting down, try later");
                    case DEFER_451 -> throw new RejectException(451, "4.3.0 Local error, try again later");
                    case REJECT_RECIPIENT -> throw new RejectException(550, "5.1.1 No such user here");
                    default -> this.to = recipient;
                }
            }

            @Override
            public String data(InputStream data) throws RejectException, IOException {
                byte[] bytes = data.readAllBytes();
                if (behaviour == Behaviour.REJECT_POLICY) {
                    throw new RejectException(554, "5.7.1 Message refused by policy");
                }
                if (behaviour == Behaviour.STALL_AFTER_DATA) {
                    try {
                        Thread.sleep(Duration.ofSeconds(4).toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }
                if (behaviour == Behaviour.ACCEPT_SLOWLY) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                received.add(new Received(context.getSessionId(), from, to, bytes));
                return null;
            }

            @Override
            public void done() {
            }
        };
    }

    @Override
    public void close() {
        server.stop();
    }
}
