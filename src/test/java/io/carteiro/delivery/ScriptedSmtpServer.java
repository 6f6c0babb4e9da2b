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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving server for failure tests, on one loopback address: it either never says anything after accepting
 * (a stalled exchanger) or greets, answers EHLO and drops the connection at MAIL FROM.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    /** What goes wrong. */
    public enum Script { SILENT, DROP_AT_MAIL }

    private final ServerSocket socket;
    private final Script script;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    public ScriptedSmtpServer(String address, int port, Script script) {
        this.script = script;
        try {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "scripted-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                connections.incrementAndGet();
                open.add(client);
                if (script == Script.DROP_AT_MAIL) {
                    Thread t = new Thread(() -> dropAtMail(client), "scripted-smtp-session");
                    t.setDaemon(true);
                    t.start();
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void dropAtMail(Socket client) {
        try (client) {
            OutputStream out = client.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.US_ASCII));
            out.write("220 dropper.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.toUpperCase().startsWith("EHLO") || line.toUpperCase().startsWith("HELO")) {
                    out.write("250 dropper.test\r\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away first
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
