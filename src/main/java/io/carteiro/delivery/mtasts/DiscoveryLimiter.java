package io.carteiro.delivery.mtasts;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs at most a fixed number of policy discoveries at once and queues the rest in order: a campaign's first minutes
 * may meet thousands of new domains, and neither the DNS servers nor this process should see thousands of lookups
 * and TLS handshakes at the same instant.
 */
final class DiscoveryLimiter {

    private final int limit;
    private final AtomicInteger running = new AtomicInteger();
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    DiscoveryLimiter(int limit) {
        this.limit = limit;
    }

    <T> CompletionStage<T> submit(Supplier<CompletionStage<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        waiting.add(() -> {
            CompletionStage<T> stage;
            try {
                stage = work.get();
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            stage.whenComplete((value, failure) -> {
                running.decrementAndGet();
                drain();
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            });
        });
        drain();
        return result;
    }

    private void drain() {
        while (!waiting.isEmpty()) {
            int now = running.get();
            if (now >= limit) {
                return;
            }
            if (!running.compareAndSet(now, now + 1)) {
                continue;
            }
            Runnable next = waiting.poll();
            if (next == null) {
                running.decrementAndGet();
                continue;
            }
            next.run();
        }
    }
}
