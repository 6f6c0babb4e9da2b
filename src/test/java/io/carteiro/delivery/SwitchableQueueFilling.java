package io.carteiro.delivery;

import jakarta.enterprise.context.ApplicationScoped;

/** A queue fill that tests switch on and off (off unless a test says otherwise). */
@ApplicationScoped
public class SwitchableQueueFilling implements QueueFilling {

    private volatile boolean on;

    @Override
    public boolean filling() {
        return on;
    }

    void set(boolean on) {
        this.on = on;
    }
}
