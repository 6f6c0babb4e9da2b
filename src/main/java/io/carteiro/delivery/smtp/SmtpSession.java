package io.carteiro.delivery.smtp;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
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
 * EHLO, opportunistic or required STARTTLS (RFC 3207), AUTH for a smarthost, PIPELINING (RFC 2920) of
 * RSET/MAIL/RCPT/DATA, and a timeout per phase. Blocking and not thread-safe: one thread drives one session.
 */
public final class SmtpSession implements AutoCloseable {

    private static final int MAX_LINE = 4096;
    private static final byte[] CRLF = {'\r', '\n'};

    private final InetSocketAddress remote;
    private final SessionOptions options;
    private final long openedAtNanos = System.nanoTime();
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private Set<String> extensions = Set.of();
    private boolean tls;
    private boolean needsReset;
    private boolean broken;
    private int transactions;

    private SmtpSession(InetSocketAddress remote, SessionOptions options) {
        this.remote = remote;
        this.options = options;
    }

    /** Connects, reads the greeting, says EHLO, upgrades to TLS when offered and logs in when configured. */
    public static SessionStart open(InetSocketAddress address, SessionOptions options) {
        SmtpSession session = new SmtpSession(address, options);
        String phase = "connect";
        try {
            Socket plain = new Socket();
            session.socket = plain;
            plain.setTcpNoDelay(true);
            plain.connect(address, millis(options.timeouts().connect()));
            if (options.implicitTls()) {
                phase = "TLS handshake";
                session.upgrade();
            }
            session.streams();
            phase = "greeting";
            SmtpReply greeting = session.read(options.timeouts().greeting());
            if (greeting.code() != 220) {
                session.quietClose();
                return new SessionStart.Refused(greeting, phase);
            }
            phase = "EHLO";
            SmtpReply ehlo = session.ehlo();
            if (!ehlo.positive()) {
                session.quietClose();
                return new SessionStart.Refused(ehlo, phase);
            }
            if (!session.tls && options.startTls() && session.extensions.contains("STARTTLS")) {
                phase = "STARTTLS";
                SmtpReply start = session.command("STARTTLS", options.timeouts().command());
                if (start.code() != 220) {
                    if (options.requireTls()) {
                        session.quietClose();
                        return new SessionStart.Refused(start, phase);
                    }
                } else {
                    phase = "TLS handshake";
                    session.upgrade();
                    session.streams();
                    phase = "EHLO after STARTTLS";
                    SmtpReply again = session.ehlo();
                    if (!again.positive()) {
                        session.quietClose();
                        return new SessionStart.Refused(again, phase);
                    }
                }
            }
            if (options.requireTls() && !session.tls) {
                session.quietClose();
                return new SessionStart.Unreachable("TLS is required but " + options.serverName()
                        + " does not offer STARTTLS", true);
            }
            if (options.credentials().isPresent()) {
                phase = "AUTH";
                SmtpReply auth = session.authenticate(options.credentials().get());
                if (auth.code() != 235) {
                    session.quietClose();
                    return new SessionStart.Refused(auth, phase);
                }
            }
            return new SessionStart.Ready(session);
        } catch (IOException | RuntimeException e) {
            session.quietClose();
            boolean tlsPhase = phase.contains("TLS");
            return new SessionStart.Unreachable(phase + " with " + options.serverName() + " [" +
                    address.getAddress().getHostAddress() + "]:" + address.getPort() + " failed: " + describe(e),
                    tlsPhase);
        }
    }

    /**
     * Sends one message to one recipient. {@code message} is the RFC 5322 message with CRLF line ends; dot-stuffing
     * is done here. With PIPELINING, RSET (when needed), MAIL, RCPT and DATA go out in one write.
     */
    public Transaction send(String mailFrom, String rcptTo, byte[] message) {
        if (broken) {
            return new Transaction.ConnectionLost("session is closed", Transaction.Phase.MAIL);
        }
        boolean utf8 = !isAscii(mailFrom) || !isAscii(rcptTo);
        if (utf8 && !extensions.contains("SMTPUTF8")) {
            return new Transaction.Replied(new SmtpReply(553, "5.6.7", "address " + rcptTo
                    + " needs SMTPUTF8, which " + options.serverName() + " does not offer"), Transaction.Phase.MAIL);
        }
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(mailFrom).append('>');
        if (extensions.contains("SIZE")) {
            mail.append(" SIZE=").append(message.length);
        }
        if (utf8) {
            mail.append(" SMTPUTF8");
        }
        String rcpt = "RCPT TO:<" + rcptTo + ">";
        Transaction.Phase phase = Transaction.Phase.MAIL;
        try {
            SmtpReply mailReply;
            SmtpReply rcptReply;
            SmtpReply dataReply;
            Duration command = options.timeouts().command();
            if (extensions.contains("PIPELINING")) {
                if (needsReset) {
                    writeLine("RSET");
                }
                writeLine(mail.toString());
                writeLine(rcpt);
                writeLine("DATA");
                out.flush();
                if (needsReset) {
                    read(command);
                    needsReset = false;
                }
                mailReply = read(command);
                phase = Transaction.Phase.RCPT;
                rcptReply = read(command);
                phase = Transaction.Phase.DATA;
                dataReply = read(options.timeouts().dataStart());
            } else {
                if (needsReset) {
                    command("RSET", command);
                    needsReset = false;
                }
                mailReply = command(mail.toString(), command);
                if (!mailReply.positive()) {
                    needsReset = true;
                    return new Transaction.Replied(mailReply, Transaction.Phase.MAIL);
                }
                phase = Transaction.Phase.RCPT;
                rcptReply = command(rcpt, command);
                if (!rcptReply.positive()) {
                    needsReset = true;
                    return new Transaction.Replied(rcptReply, Transaction.Phase.RCPT);
                }
                phase = Transaction.Phase.DATA;
                dataReply = command("DATA", options.timeouts().dataStart());
            }
            if (!mailReply.positive() || !rcptReply.positive()) {
                if (dataReply.code() == 354) {
                    writeLine(".");
                    out.flush();
                    read(options.timeouts().dataEnd());
                }
                needsReset = true;
                return mailReply.positive() ? new Transaction.Replied(rcptReply, Transaction.Phase.RCPT)
                        : new Transaction.Replied(mailReply, Transaction.Phase.MAIL);
            }
            if (dataReply.code() != 354) {
                needsReset = true;
                return new Transaction.Replied(dataReply, Transaction.Phase.DATA);
            }
            phase = Transaction.Phase.END_OF_DATA;
            socket.setSoTimeout(millis(options.timeouts().dataBlock()));
            writeDotStuffed(message);
            out.write(new byte[]{'.', '\r', '\n'});
            out.flush();
            SmtpReply end = read(options.timeouts().dataEnd());
            transactions++;
            if (!end.positive()) {
                needsReset = true;
            }
            return new Transaction.Replied(end, Transaction.Phase.END_OF_DATA);
        } catch (IOException | RuntimeException e) {
            quietClose();
            return new Transaction.ConnectionLost(describe(e), phase);
        }
    }

    /** Whether STARTTLS (or implicit TLS) is in effect. */
    public boolean tls() {
        return tls;
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
        if (!broken) {
            try {
                writeLine("QUIT");
                out.flush();
                read(Duration.ofSeconds(2));
            } catch (IOException | RuntimeException e) {
                // closing anyway
            }
        }
        quietClose();
    }

    private SmtpReply ehlo() throws IOException {
        writeLine("EHLO " + options.ehloName());
        out.flush();
        List<String> lines = readLines(options.timeouts().command());
        SmtpReply reply = SmtpReply.parse(lines);
        if (reply.positive()) {
            extensions = extensionsOf(lines);
            return reply;
        }
        if (reply.code() >= 500 && reply.code() != 554) {
            extensions = Set.of();
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

    private void upgrade() throws IOException {
        SSLContext context;
        try {
            if (options.verifyCertificate()) {
                context = SSLContext.getDefault();
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
        if (options.verifyCertificate()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        ssl.setSSLParameters(parameters);
        ssl.setUseClientMode(true);
        ssl.setSoTimeout(millis(options.timeouts().command()));
        ssl.startHandshake();
        socket = ssl;
        tls = true;
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream(), 8192);
        out = new BufferedOutputStream(socket.getOutputStream(), 65536);
    }

    private SmtpReply command(String line, Duration timeout) throws IOException {
        writeLine(line);
        out.flush();
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

    private void writeDotStuffed(byte[] message) throws IOException {
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
