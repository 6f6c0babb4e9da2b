package io.carteiro.bounces;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw SMTP client over a loopback socket, so tests read like the conversation itself. */
final class SmtpDialogue implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    final String greeting;

    SmtpDialogue(int port) throws IOException {
        this(null, port);
    }

    /** Connects to the listener on 127.0.0.1 from {@code from} (another loopback address), or any when null. */
    SmtpDialogue(String from, int port) throws IOException {
        this(from, port, java.time.Duration.ofSeconds(15));
    }

    /** As above, waiting up to {@code patience} for each reply (RFC 5321 gives the reply to DATA ten minutes). */
    SmtpDialogue(String from, int port, java.time.Duration patience) throws IOException {
        socket = new Socket();
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout((int) patience.toMillis());
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
        greeting = reply();
    }

    /** Sends one command line and returns the complete (possibly multi-line) reply. */
    String send(String line) throws IOException {
        write(line + "\r\n");
        return reply();
    }

    void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a message body with dot-stuffing and the terminating dot, and returns the reply. */
    String data(byte[] message) throws IOException {
        String text = new String(message, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
        StringBuilder stuffed = new StringBuilder(text.length() + 16);
        for (String line : text.split("\r\n", -1)) {
            stuffed.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        write(stuffed + ".\r\n");
        return reply();
    }

    /**
     * Sends a message that is already in wire form (CRLF line ends, no line starting with a dot) and the terminating
     * dot, without copying it; returns the reply.
     */
    String dataRaw(byte[] message) throws IOException {
        out.write(message);
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    String reply() throws IOException {
        StringBuilder reply = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            reply.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                break;
            }
        }
        return reply.toString().strip();
    }

    /** Whether the server has sent something not yet read (a reply it sends without being asked). */
    boolean replyWaiting() throws IOException {
        return in.ready() || socket.getInputStream().available() > 0;
    }

    /** Whether the server has closed the connection (reads end of stream). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
