package io.carteiro.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port free on a range of loopback addresses at once, for test servers that all listen on one port (an
 * exchanger port the application under test is told once) on 127.0.0.x. Each harness draws from its own range,
 * below the ephemeral ports, so their servers and the system's outgoing connections do not meet.
 */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** A port in [{@code lowest}, {@code highest}) free on 127.0.0.first … 127.0.0.last. */
    public static int freeOnHosts(int first, int last, int lowest, int highest) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(lowest, highest);
            boolean free = true;
            for (int host = first; host <= last && free; host++) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + host), port));
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on 127.0.0." + first + "-" + last);
    }
}
