package io.carteiro.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving SMTP server for failure tests, on one loopback address, speaking just enough SMTP for its script;
 * it records the commands it read and the messages it accepted.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    /** What goes wrong. */
    public enum Script {
        /** Accepts mail: a plain server whose {@link #arrivals()} and clients a test looks at. */
        ACCEPT,
        /** Accepts the connection and never says anything. */
        SILENT,
        /** Greets, answers EHLO and drops the connection at MAIL FROM. */
        DROP_AT_MAIL,
        /** Accepts mail, but answers every command only after {@link #TARPIT_DELAY_MILLIS}. */
        TARPIT,
        /** Answers 354 to DATA and then never reads again (a tiny receive buffer, so the client's writes block). */
        STOP_READING_AFTER_DATA,
        /** After the message, sends a continuation line of its reply every 1.5 s and never the last one. */
        DRIBBLE_AFTER_DATA,
        /** Accepts one message per connection, then closes it without a word (a cached session goes stale). */
        CLOSE_AFTER_MESSAGE,
        /** Greets with 554 and waits for QUIT. */
        REFUSE_GREETING,
        /** Offers PIPELINING and answers the pipelined MAIL FROM with 421 4.7.28, then closes. */
        PIPELINED_421_AT_MAIL,
        /**
         * Accepts mail, but greets a connection only once another one is open (or after {@link #PAIR_WAIT_MILLIS}):
         * sessions that may run side by side do, so {@link #mostAtOnce()} shows whether they may.
         */
        PAIRS,
        /** Accepts mail, answering every command only after {@link #SLOW_DELAY_MILLIS}. */
        SLOW
    }

    /** A message accepted: which client (its EHLO name) sent it to whom, and when (System.nanoTime). */
    public record Arrival(String client, String recipient, long nanos) {
    }

    static final long TARPIT_DELAY_MILLIS = 1500;
    static final long PAIR_WAIT_MILLIS = 3000;
    static final long SLOW_DELAY_MILLIS = 200;

    private final ServerSocket socket;
    private final Script script;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger openNow = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> openByClient = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostByClient = new ConcurrentHashMap<>();

    public ScriptedSmtpServer(String address, int port, Script script) {
        this.script = script;
        try {
            socket = new ServerSocket();
            if (script == Script.STOP_READING_AFTER_DATA) {
                socket.setReceiveBufferSize(4096); // inherited by accepted sockets: the window closes quickly
            }
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "scripted-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String address() {
        return socket.getInetAddress().getHostAddress();
    }

    public int connections() {
        return connections.get();
    }

    /** The most connections that were open at the same time. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    /** The most connections from one client (by its EHLO name) that were open at the same time. */
    public int mostAtOnceFrom(String client) {
        AtomicInteger most = mostByClient.get(client);
        return most == null ? 0 : most.get();
    }

    /** The messages accepted, in order. */
    public List<Arrival> arrivals() {
        return arrivals;
    }

    /** Every command line read, in order, over all connections. */
    public List<String> commands() {
        return commands;
    }

    /** Recipients of the messages accepted. */
    public List<String> received() {
        return received;
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                connections.incrementAndGet();
                open.add(client);
                if (script != Script.SILENT) {
                    Thread t = new Thread(() -> converse(client), "scripted-smtp-session");
                    t.setDaemon(true);
                    t.start();
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void converse(Socket client) {
        mostAtOnce.accumulateAndGet(openNow.incrementAndGet(), Math::max);
        String helo = null;
        try (client) {
            OutputStream out = client.getOutputStream();
            if (script == Script.PAIRS) {
                awaitPartner();
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.US_ASCII));
            if (script == Script.REFUSE_GREETING) {
                say(out, "554 5.7.1 refuser.test does not take mail from you");
            } else {
                say(out, "220 scripted.test ESMTP");
            }
            String rcpt = null;
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                String command = line.toUpperCase(Locale.ROOT);
                if (command.startsWith("QUIT")) {
                    say(out, "221 2.0.0 bye");
                    return;
                }
                if (script == Script.REFUSE_GREETING) {
                    say(out, "503 5.5.1 only QUIT now");
                } else if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                    if (helo == null) {
                        helo = line.substring(4).strip();
                        int now = openByClient.computeIfAbsent(helo, c -> new AtomicInteger()).incrementAndGet();
                        mostByClient.computeIfAbsent(helo, c -> new AtomicInteger()).accumulateAndGet(now, Math::max);
                    }
                    if (script == Script.DROP_AT_MAIL) {
                        say(out, "250 dropper.test");
                    } else if (script == Script.PIPELINED_421_AT_MAIL) {
                        say(out, "250-scripted.test\r\n250 PIPELINING");
                    } else {
                        say(out, "250 scripted.test");
                    }
                } else if (command.startsWith("MAIL")) {
                    if (script == Script.DROP_AT_MAIL) {
                        return;
                    }
                    if (script == Script.PIPELINED_421_AT_MAIL) {
                        say(out, "421 4.7.28 scripted.test Too many messages from your address, try later");
                        return;
                    }
                    say(out, "250 2.1.0 ok");
                } else if (command.startsWith("RCPT")) {
                    rcpt = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
                    say(out, "250 2.1.5 ok");
                } else if (command.startsWith("RSET") || command.startsWith("NOOP")) {
                    say(out, "250 2.0.0 ok");
                } else if (command.equals("DATA")) {
                    say(out, "354 go ahead");
                    if (script == Script.STOP_READING_AFTER_DATA) {
                        Thread.sleep(60_000); // holds the connection without reading; closed by the client
                        return;
                    }
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        // the message body
                    }
                    if (script == Script.DRIBBLE_AFTER_DATA) {
                        for (int i = 0; i < 90; i++) {
                            out.write("250-still checking your message\r\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            Thread.sleep(1500);
                        }
                        return;
                    }
                    received.add(rcpt);
                    arrivals.add(new Arrival(helo, rcpt, System.nanoTime()));
                    say(out, "250 2.0.0 queued");
                    if (script == Script.CLOSE_AFTER_MESSAGE) {
                        return;
                    }
                } else {
                    say(out, "502 5.5.2 not here");
                }
            }
        } catch (IOException e) {
            // the client went away first
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (helo != null) {
                openByClient.get(helo).decrementAndGet();
            }
            synchronized (openNow) {
                openNow.decrementAndGet();
            }
        }
    }

    /** Waits until another connection is open too, at most {@link #PAIR_WAIT_MILLIS}. */
    private void awaitPartner() throws InterruptedException {
        long until = System.currentTimeMillis() + PAIR_WAIT_MILLIS;
        synchronized (openNow) {
            openNow.notifyAll();
            long left;
            while (openNow.get() < 2 && (left = until - System.currentTimeMillis()) > 0) {
                openNow.wait(left);
            }
        }
    }

    private void say(OutputStream out, String reply) throws IOException, InterruptedException {
        if (script == Script.TARPIT) {
            Thread.sleep(TARPIT_DELAY_MILLIS);
        } else if (script == Script.SLOW) {
            Thread.sleep(SLOW_DELAY_MILLIS);
        }
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
