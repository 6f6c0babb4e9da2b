package io.carteiro.delivery.smtp;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The client side of one SMTP connection (RFC 5321) to one exchanger address, used for many transactions in a row:
 * EHLO, STARTTLS (RFC 3207) or implicit TLS as its {@link TlsPolicy} says, AUTH for a smarthost (only over TLS),
 * PIPELINING (RFC 2920) of RSET/MAIL/RCPT/DATA, a timeout per phase on reads and writes, and a deadline per
 * transaction. Blocking and not thread-safe: one thread drives one session.
 */
public final class SmtpSession implements AutoCloseable {

    private static final int MAX_LINE = 4096;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final Duration QUIT_WAIT = Duration.ofSeconds(2);

    private final InetSocketAddress remote;
    private final SessionOptions options;
    private final long openedAtNanos = System.nanoTime();
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private Set<String> extensions = Set.of();
    private long sizeLimit;
    private boolean tls;
    private boolean verified;
    private boolean needsReset;
    private volatile boolean broken;
    private int transactions;
    // Deadlines (System.nanoTime, 0 = none) read by the SessionWatchdog thread.
    private volatile long writeDeadline;
    private volatile long transactionDeadline;
    private volatile String expired;

    private SmtpSession(InetSocketAddress remote, SessionOptions options) {
        this.remote = remote;
        this.options = options;
    }

    /**
     * Connects, reads the greeting, says EHLO, upgrades to TLS as the policy says and logs in when configured. Under
     * policy {@code may} a failed handshake is retried once in plain text on a new connection, as Postfix does; the
     * failure is handed back with the session for the attempt log.
     */
    public static SessionStart open(InetSocketAddress address, SessionOptions options) {
        SessionStart start = new SmtpSession(address, options).start(options.tls());
        if (start instanceof SessionStart.Unreachable u && u.tlsTrouble()
                && options.tls().level() == TlsPolicy.Level.MAY && options.tls().start() == TlsPolicy.Start.STARTTLS) {
            SessionStart plain = new SmtpSession(address, options.with(TlsPolicy.none())).start(TlsPolicy.none());
            if (plain instanceof SessionStart.Ready ready) {
                return new SessionStart.Ready(ready.session(), u.reason() + "; delivered without TLS");
            }
            return plain;
        }
        return start;
    }

    private SessionStart start(TlsPolicy policy) {
        String phase = "connect";
        SessionWatchdog.watch(this);
        try {
            Socket plain = new Socket();
            socket = plain;
            plain.setTcpNoDelay(true);
            plain.connect(remote, millis(options.timeouts().connect()));
            if (policy.start() == TlsPolicy.Start.IMPLICIT) {
                phase = "TLS handshake";
                upgrade(policy);
            }
            streams();
            phase = "greeting";
            SmtpReply greeting = read(options.timeouts().greeting());
            if (greeting.code() != 220) {
                close(); // RFC 5321 §3.1: after a refusing greeting the client still says QUIT
                return new SessionStart.Refused(greeting, phase);
            }
            phase = "EHLO";
            SmtpReply ehlo = ehlo();
            if (!ehlo.positive()) {
                close();
                return new SessionStart.Refused(ehlo, phase);
            }
            if (!tls && policy.triesTls() && extensions.contains("STARTTLS")) {
                phase = "STARTTLS";
                SmtpReply start = command("STARTTLS", options.timeouts().command());
                if (start.code() != 220) {
                    if (policy.requiresTls()) {
                        close();
                        return new SessionStart.Refused(start, phase);
                    }
                } else {
                    phase = "TLS handshake";
                    upgrade(policy);
                    streams();
                    phase = "EHLO after STARTTLS";
                    SmtpReply again = ehlo();
                    if (!again.positive()) {
                        close();
                        return new SessionStart.Refused(again, phase);
                    }
                }
            }
            if (policy.requiresTls() && !tls) {
                close();
                return new SessionStart.Unreachable("TLS is required but " + options.serverName()
                        + " does not offer STARTTLS", TlsFailure.STARTTLS_NOT_SUPPORTED);
            }
            if (options.credentials().isPresent()) {
                if (!tls) {
                    close();
                    return new SessionStart.Unreachable("refusing to send credentials to " + options.serverName()
                            + " without TLS", TlsFailure.STARTTLS_NOT_SUPPORTED);
                }
                phase = "AUTH";
                SmtpReply auth = authenticate(options.credentials().get());
                if (auth.code() != 235) {
                    close();
                    return new SessionStart.Refused(auth, phase);
                }
            }
            return new SessionStart.Ready(this, null);
        } catch (IOException | RuntimeException e) {
            quietClose();
            return new SessionStart.Unreachable(phase + " with " + options.serverName() + " [" +
                    remote.getAddress().getHostAddress() + "]:" + remote.getPort() + " failed: " + describe(e),
                    phase.contains("TLS") ? TlsFailure.of(e) : null);
        }
    }

    /**
     * Sends one message to one recipient. {@code message} is the RFC 5322 message with CRLF line ends; dot-stuffing
     * is done here. With PIPELINING, RSET (when needed), MAIL, RCPT and DATA go out in one write, and each reply is
     * matched to its command: a {@code 421} to any of them ends the session and is what the transaction reports.
     */
    public Transaction send(String mailFrom, String rcptTo, byte[] message) {
        if (broken) {
            return new Transaction.ConnectionLost("session is closed", Transaction.Command.MAIL);
        }
        boolean utf8 = !isAscii(mailFrom) || !isAscii(rcptTo);
        if (utf8 && !extensions.contains("SMTPUTF8")) {
            return new Transaction.Replied(new SmtpReply(553, "5.6.7", "address " + rcptTo
                    + " needs SMTPUTF8, which " + options.serverName() + " does not offer"), Transaction.Command.MAIL);
        }
        if (sizeLimit > 0 && message.length > sizeLimit) {
            return new Transaction.Replied(new SmtpReply(552, "5.3.4", "message of " + message.length
                    + " bytes exceeds the limit of " + sizeLimit + " bytes that " + options.serverName()
                    + " announces (SIZE)"), Transaction.Command.MAIL);
        }
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(mailFrom).append('>');
        if (extensions.contains("SIZE")) {
            mail.append(" SIZE=").append(message.length);
        }
        if (utf8) {
            mail.append(" SMTPUTF8");
        }
        String rcpt = "RCPT TO:<" + rcptTo + ">";
        Transaction.Command awaiting = Transaction.Command.MAIL;
        transactionDeadline = System.nanoTime() + options.timeouts().transaction().toNanos();
        try {
            Duration command = options.timeouts().command();
            SmtpReply mailReply;
            SmtpReply rcptReply;
            SmtpReply dataReply;
            if (extensions.contains("PIPELINING")) {
                if (needsReset) {
                    writeLine("RSET");
                }
                writeLine(mail.toString());
                writeLine(rcpt);
                writeLine("DATA");
                flush(command);
                if (needsReset) {
                    read(command);
                    needsReset = false;
                }
                mailReply = read(command);
                if (mailReply.code() == 421) {
                    return closing(mailReply, awaiting);
                }
                awaiting = Transaction.Command.RCPT;
                rcptReply = read(command);
                if (rcptReply.code() == 421) {
                    return closing(rcptReply, awaiting);
                }
                awaiting = Transaction.Command.DATA;
                dataReply = read(options.timeouts().dataStart());
                if (dataReply.code() == 421) {
                    return closing(dataReply, awaiting);
                }
            } else {
                if (needsReset) {
                    command("RSET", command);
                    needsReset = false;
                }
                mailReply = command(mail.toString(), command);
                if (!mailReply.positive()) {
                    return refused(mailReply, awaiting);
                }
                awaiting = Transaction.Command.RCPT;
                rcptReply = command(rcpt, command);
                if (!rcptReply.positive()) {
                    return refused(rcptReply, awaiting);
                }
                awaiting = Transaction.Command.DATA;
                dataReply = command("DATA", options.timeouts().dataStart());
            }
            if (!mailReply.positive() || !rcptReply.positive()) {
                if (dataReply.code() == 354) {
                    // DATA was accepted although no recipient was: send an empty message to end it cleanly.
                    awaiting = Transaction.Command.END_OF_DATA;
                    writeLine(".");
                    flush(command);
                    read(options.timeouts().dataEnd());
                }
                return mailReply.positive() ? refused(rcptReply, Transaction.Command.RCPT)
                        : refused(mailReply, Transaction.Command.MAIL);
            }
            if (dataReply.code() != 354) {
                return refused(dataReply, awaiting);
            }
            awaiting = Transaction.Command.END_OF_DATA;
            socket.setSoTimeout(millis(options.timeouts().dataBlock()));
            writeDotStuffed(message);
            out.write(new byte[]{'.', '\r', '\n'});
            flush(options.timeouts().dataBlock());
            SmtpReply end = read(options.timeouts().dataEnd());
            transactions++;
            if (end.code() == 421) {
                return closing(end, awaiting);
            }
            if (!end.positive()) {
                needsReset = true;
            }
            return new Transaction.Replied(end, awaiting);
        } catch (IOException | RuntimeException e) {
            String reason = expired != null ? expired : describe(e);
            quietClose();
            return new Transaction.ConnectionLost(reason, awaiting);
        } finally {
            transactionDeadline = 0;
        }
    }

    /**
     * Checks a cached session before reuse: RSET must be answered 250 within the command timeout. A session that
     * fails is closed; the caller opens a new one without counting anything against the message.
     */
    public boolean reset() {
        if (broken) {
            return false;
        }
        try {
            SmtpReply reply = command("RSET", options.timeouts().command());
            if (reply.code() == 250) {
                needsReset = false;
                return true;
            }
        } catch (IOException | RuntimeException e) {
            // a dead cached connection: the caller opens a fresh one
        }
        quietClose();
        return false;
    }

    /** Whether STARTTLS (or implicit TLS) is in effect. */
    public boolean tls() {
        return tls;
    }

    /** Whether the server's certificate was validated and names the server. */
    public boolean verified() {
        return verified;
    }

    /** The policy this session was opened under. */
    public TlsPolicy policy() {
        return options.tls();
    }

    public InetSocketAddress remote() {
        return remote;
    }

    /** Whether the session can take another transaction. */
    public boolean usable() {
        return !broken;
    }

    /** Completed DATA transactions on this connection. */
    public int transactions() {
        return transactions;
    }

    public Duration age() {
        return Duration.ofNanos(System.nanoTime() - openedAtNanos);
    }

    public Set<String> extensions() {
        return extensions;
    }

    /** Says QUIT (briefly waiting for the reply) and closes the connection. */
    @Override
    public void close() {
        if (!broken && out != null) {
            try {
                writeLine("QUIT");
                flush(QUIT_WAIT);
                read(QUIT_WAIT);
            } catch (IOException | RuntimeException e) {
                // closing anyway
            }
        }
        quietClose();
    }

    /** Called by the watchdog: closes the socket when a write or the transaction is past its deadline. */
    void expireIfLate(long now) {
        long write = writeDeadline;
        long transaction = transactionDeadline;
        if (write != 0 && now - write > 0) {
            expired = "timeout: " + options.serverName() + " took none of our data for "
                    + writeTimeout.toMillis() / 1000.0 + " s (write timeout)";
        } else if (transaction != 0 && now - transaction > 0) {
            expired = "timeout: the transaction with " + options.serverName() + " passed its deadline of "
                    + options.timeouts().transaction().toMillis() / 1000.0 + " s";
        } else {
            return;
        }
        quietClose();
    }

    /** Closes every open session at once; their transactions end as lost connections with this reason. */
    public static void cutAll(String reason) {
        SessionWatchdog.cutAll(reason);
    }

    void cut(String reason) {
        expired = reason;
        quietClose();
    }

    private Transaction refused(SmtpReply reply, Transaction.Command command) {
        needsReset = true;
        return new Transaction.Replied(reply, command);
    }

    /** A 421 reply: the server is closing the connection (RFC 5321 §3.8); what it said is the outcome. */
    private Transaction closing(SmtpReply reply, Transaction.Command command) {
        quietClose();
        return new Transaction.Replied(reply, command);
    }

    private SmtpReply ehlo() throws IOException {
        writeLine("EHLO " + options.ehloName());
        flush(options.timeouts().command());
        List<String> lines = readLines(options.timeouts().command());
        SmtpReply reply = SmtpReply.parse(lines);
        if (reply.positive()) {
            extensions = extensionsOf(lines);
            sizeLimit = sizeLimitOf(extensions);
            return reply;
        }
        if (reply.code() >= 500 && reply.code() != 554) {
            extensions = Set.of();
            sizeLimit = 0;
            return command("HELO " + options.ehloName(), options.timeouts().command());
        }
        return reply;
    }

    private SmtpReply authenticate(SessionOptions.Credentials credentials) throws IOException {
        Base64.Encoder b64 = Base64.getEncoder();
        String mechanisms = extensions.stream().filter(e -> e.startsWith("AUTH ")).findFirst().orElse("AUTH");
        if (mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN")) {
            String token = b64.encodeToString(("\0" + credentials.username() + "\0" + credentials.password())
                    .getBytes(StandardCharsets.UTF_8));
            return command("AUTH PLAIN " + token, options.timeouts().command());
        }
        SmtpReply reply = command("AUTH LOGIN", options.timeouts().command());
        if (reply.code() != 334) {
            return reply;
        }
        reply = command(b64.encodeToString(credentials.username().getBytes(StandardCharsets.UTF_8)),
                options.timeouts().command());
        if (reply.code() != 334) {
            return reply;
        }
        return command(b64.encodeToString(credentials.password().getBytes(StandardCharsets.UTF_8)),
                options.timeouts().command());
    }

    private void upgrade(TlsPolicy policy) throws IOException {
        SSLContext context;
        try {
            if (policy.verifiesCertificate()) {
                context = options.trust() != null ? options.trust() : SSLContext.getDefault();
            } else {
                context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[]{new AcceptingTrustManager()}, null);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS context: " + e.getMessage(), e);
        }
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket,
                options.serverName(), remote.getPort(), true);
        SSLParameters parameters = ssl.getSSLParameters();
        if (options.serverName().indexOf('.') > 0 && !Character.isDigit(
                options.serverName().charAt(options.serverName().length() - 1))) {
            parameters.setServerNames(List.of(new SNIHostName(options.serverName())));
        }
        if (policy.verifiesCertificate()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        ssl.setSSLParameters(parameters);
        ssl.setUseClientMode(true);
        ssl.setSoTimeout(millis(options.timeouts().command()));
        ssl.startHandshake();
        socket = ssl;
        tls = true;
        verified = policy.verifiesCertificate();
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream(), 8192);
        out = new BufferedOutputStream(new GuardedOutput(socket.getOutputStream()), 65536);
    }

    private SmtpReply command(String line, Duration timeout) throws IOException {
        writeLine(line);
        flush(timeout);
        return read(timeout);
    }

    private SmtpReply read(Duration timeout) throws IOException {
        return SmtpReply.parse(readLines(timeout));
    }

    private List<String> readLines(Duration timeout) throws IOException {
        socket.setSoTimeout(millis(timeout));
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2))) {
                throw new IOException("malformed reply line '" + abbreviate(line) + "'");
            }
            lines.add(line);
            if (line.length() == 3 || line.charAt(3) != '-') {
                break;
            }
            if (lines.size() > 100) {
                throw new IOException("reply of more than 100 lines");
            }
        }
        return lines;
    }

    /** EHLO keywords in upper case, each both with its parameters and alone ("SIZE 1000", "SIZE"). */
    private static Set<String> extensionsOf(List<String> lines) {
        Set<String> found = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String keyword = line.length() > 4 ? line.substring(4).strip().toUpperCase(Locale.ROOT) : "";
            found.add(keyword);
            int space = keyword.indexOf(' ');
            found.add(space > 0 ? keyword.substring(0, space) : keyword);
        }
        return Set.copyOf(found);
    }

    /** The fixed maximum of RFC 1870's {@code SIZE n}, or 0 when the server names none. */
    private static long sizeLimitOf(Set<String> extensions) {
        for (String e : extensions) {
            if (e.startsWith("SIZE ")) {
                try {
                    return Math.max(0, Long.parseLong(e.substring(5).strip()));
                } catch (NumberFormatException ignored) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by " + options.serverName());
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("reply line longer than " + MAX_LINE);
            }
            line.append((char) b);
        }
    }

    private void writeLine(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF);
    }

    // The timeout of the writes under way; read by the watchdog for its message.
    private volatile Duration writeTimeout = Duration.ofMinutes(5);

    /** Flushes what is buffered; every write to the socket on the way must finish within {@code timeout}. */
    private void flush(Duration timeout) throws IOException {
        writeTimeout = timeout;
        out.flush();
    }

    private void writeDotStuffed(byte[] message) throws IOException {
        writeTimeout = options.timeouts().dataBlock();
        int start = 0;
        boolean lineStart = true;
        for (int i = 0; i < message.length; i++) {
            if (lineStart && message[i] == '.') {
                out.write(message, start, i - start);
                out.write('.');
                start = i;
            }
            lineStart = message[i] == '\n';
        }
        out.write(message, start, message.length - start);
        if (message.length < 2 || message[message.length - 2] != '\r' || message[message.length - 1] != '\n') {
            out.write(CRLF);
        }
    }

    private void quietClose() {
        broken = true;
        SessionWatchdog.forget(this);
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // nothing more to do
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /** The socket's output with a deadline on each write, which the {@link SessionWatchdog} enforces. */
    private final class GuardedOutput extends FilterOutputStream {
        private final OutputStream raw;

        GuardedOutput(OutputStream raw) {
            super(raw);
            this.raw = raw;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writeDeadline = System.nanoTime() + writeTimeout.toNanos();
            try {
                raw.write(b, off, len);
            } finally {
                writeDeadline = 0;
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }
    }

    /** Opportunistic TLS as most MTAs do it: encrypt, but accept any certificate (unless verification is on). */
    private static final class AcceptingTrustManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
