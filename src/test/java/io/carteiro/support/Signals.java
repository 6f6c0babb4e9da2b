package io.carteiro.support;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Signals the JDK cannot send: {@code STOP} freezes a process as a stalled disk or a paused VM would (its sockets
 * stay open and silent), {@code CONT} lets it go on. Sent with {@code /bin/kill}, which every Linux has.
 */
public final class Signals {

    private Signals() {
    }

    public static void send(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + signal + " " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
