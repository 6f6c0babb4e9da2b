package io.carteiro.delivery;

import java.util.function.IntSupplier;

/**
 * How many sessions one destination may have at once, Postfix's way: it starts at the initial concurrency, grows by
 * one after as many successes as the window is wide, and shrinks by one after as many connection failures, never
 * past the configured limit (this instance's share of it). A tarpit that never answers stays at the start, so it
 * cannot take the sessions every other destination needs.
 */
final class ConcurrencyWindow {

    private final IntSupplier limit;
    private int size;
    private int successes;
    private int failures;
    private int active;

    ConcurrencyWindow(int initial, IntSupplier limit) {
        this.limit = limit;
        this.size = Math.max(1, initial);
    }

    /** Sessions allowed now. */
    synchronized int allowed() {
        return Math.max(1, Math.min(size, limit.getAsInt()));
    }

    synchronized boolean hasRoom() {
        return active < allowed();
    }

    synchronized void opened() {
        active++;
    }

    synchronized void closed() {
        active--;
    }

    synchronized int active() {
        return active;
    }

    /** A server answered (whatever it said): the destination works. */
    synchronized void success() {
        failures = 0;
        if (++successes >= size) {
            successes = 0;
            size = Math.min(Math.max(1, limit.getAsInt()), size + 1);
        }
    }

    /** No session could be had, or it broke: the destination may be overloaded. */
    synchronized void failure() {
        successes = 0;
        if (++failures >= size) {
            failures = 0;
            size = Math.max(1, size - 1);
        }
    }
}
