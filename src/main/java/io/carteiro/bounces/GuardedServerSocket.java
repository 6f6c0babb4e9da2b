package io.carteiro.bounces;

import org.jboss.logging.Logger;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The listener's server socket: it turns away a client address that already holds its share of connections before
 * any session starts, and hands out sockets whose reads keep two deadlines, so a client dripping bytes cannot hold
 * a connection for long: each line must arrive within the command timeout (plus its bytes at the minimum data
 * rate), and the whole session within the session timeout.
 */
final class GuardedServerSocket extends ServerSocket {

    private static final Logger LOG = Logger.getLogger(GuardedServerSocket.class);
    private static final byte[] TOO_MANY = "421 4.7.0 Too many connections from your address, try again later\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    /** How long sessions may take, and how many one address may hold. */
    record Limits(int perAddress, Duration lineTimeout, int minBytesPerSecond, Duration sessionTimeout) {
    }

    private final Limits limits;
    private final ConnectionsPerAddress connections;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();

    GuardedServerSocket(Limits limits) throws IOException {
        this.limits = limits;
        this.connections = new ConnectionsPerAddress(limits.perAddress());
    }

    @Override
    public Socket accept() throws IOException {
        while (true) {
            GuardedSocket socket = new GuardedSocket();
            implAccept(socket);
            InetAddress address = socket.getInetAddress();
            if (connections.tryAcquire(address)) {
                socket.admitted(address);
                return socket;
            }
            refused.incrementAndGet();
            turnAway(socket);
        }
    }

    /** Answers 421 without starting a session; a short reply into an empty send buffer never blocks this thread. */
    private static void turnAway(Socket socket) {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write(TOO_MANY);
            out.flush();
        } catch (IOException e) {
            // the client is gone already
        }
    }

    /** Connections turned away because their address held its share. */
    long refused() {
        return refused.get();
    }

    /** Sessions ended because a line or the session took too long. */
    long timedOut() {
        return timedOut.get();
    }

    /** Open connections from one address. */
    int open(InetAddress address) {
        return connections.open(address);
    }

    /** An accepted connection whose reads keep the deadlines and which gives back its place when closed. */
    private final class GuardedSocket extends Socket {

        private final AtomicBoolean released = new AtomicBoolean();
        private volatile InetAddress counted;
        private volatile int requestedTimeout;
        private long sessionDeadline;
        private InputStream input;

        void admitted(InetAddress address) {
            counted = address;
            sessionDeadline = System.nanoTime() + limits.sessionTimeout().toNanos();
        }

        /** Remembered, not applied: each read applies it, shortened to the nearer deadline. */
        @Override
        public void setSoTimeout(int timeout) {
            requestedTimeout = timeout;
        }

        @Override
        public int getSoTimeout() {
            return requestedTimeout;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (input == null) {
                input = new DeadlineInput(super.getInputStream());
            }
            return input;
        }

        @Override
        public synchronized void close() throws IOException {
            try {
                super.close();
            } finally {
                if (counted != null && released.compareAndSet(false, true)) {
                    connections.release(counted);
                }
            }
        }

        private void applyTimeout(long nanosLeft) throws IOException {
            long millis = Math.max(1, nanosLeft / 1_000_000);
            int requested = requestedTimeout;
            super.setSoTimeout((int) Math.min(Integer.MAX_VALUE, requested > 0 ? Math.min(requested, millis) : millis));
        }

        /** The reads of one connection, with its line and session deadlines. */
        private final class DeadlineInput extends FilterInputStream {

            private boolean atLineStart = true;
            private long lineDeadline;

            DeadlineInput(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                long now = System.nanoTime();
                if (atLineStart) {
                    lineDeadline = now + limits.lineTimeout().toNanos();
                    atLineStart = false;
                }
                long left = Math.min(lineDeadline, sessionDeadline) - now;
                if (left <= 0) {
                    throw expired(now);
                }
                applyTimeout(left);
                int n;
                try {
                    n = super.read(b, off, len);
                } catch (SocketTimeoutException e) {
                    throw expired(System.nanoTime());
                }
                if (n > 0) {
                    advance(b, off, n);
                }
                return n;
            }

            /** A line end starts the next line's time; bytes of an unfinished line earn it time at the minimum rate. */
            private void advance(byte[] b, int off, int n) {
                int lastNewline = -1;
                for (int i = off + n - 1; i >= off; i--) {
                    if (b[i] == '\n') {
                        lastNewline = i;
                        break;
                    }
                }
                int partial = lastNewline < 0 ? n : off + n - 1 - lastNewline;
                if (lastNewline >= 0) {
                    lineDeadline = System.nanoTime() + limits.lineTimeout().toNanos();
                    atLineStart = partial == 0;
                }
                if (partial > 0 && limits.minBytesPerSecond() > 0) {
                    lineDeadline += partial * 1_000_000_000L / limits.minBytesPerSecond();
                }
            }

            private SocketTimeoutException expired(long now) {
                timedOut.incrementAndGet();
                String which = now - sessionDeadline >= 0 ? "the session lasted longer than "
                        + limits.sessionTimeout().toSeconds() + " s" : "a line took longer than "
                        + limits.lineTimeout().toSeconds() + " s";
                LOG.debugf("bounce listener: closing the connection from %s: %s", counted, which);
                return new SocketTimeoutException(which);
            }
        }
    }
}
