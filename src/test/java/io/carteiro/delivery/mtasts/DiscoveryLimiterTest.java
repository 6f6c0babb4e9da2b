package io.carteiro.delivery.mtasts;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiscoveryLimiterTest {

    @Test
    void workBeyondTheLimitShouldWaitAndStartInOrderAsEarlierWorkEnds() {
        DiscoveryLimiter limiter = new DiscoveryLimiter(2);
        List<String> started = new ArrayList<>();
        List<CompletableFuture<String>> running = new ArrayList<>();
        List<CompletionStage<String>> results = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d", "e")) {
            results.add(limiter.submit(() -> {
                started.add(name);
                CompletableFuture<String> work = new CompletableFuture<>();
                running.add(work);
                return work;
            }));
        }
        assertEquals(List.of("a", "b"), started);

        running.get(1).complete("B");
        assertEquals(List.of("a", "b", "c"), started);
        running.get(0).completeExceptionally(new IllegalStateException("a failed"));
        assertEquals(List.of("a", "b", "c", "d"), started);
        running.get(2).complete("C");
        running.get(3).complete("D");
        running.get(4).complete("E");

        assertEquals(List.of("a", "b", "c", "d", "e"), started);
        assertEquals("B", results.get(1).toCompletableFuture().join());
        assertTrue(results.get(0).toCompletableFuture().isCompletedExceptionally());
        assertEquals("E", results.get(4).toCompletableFuture().join());
    }

    @Test
    void workThatThrowsShouldFreeItsPlace() {
        DiscoveryLimiter limiter = new DiscoveryLimiter(1);
        CompletionStage<String> thrown = limiter.submit(() -> {
            throw new IllegalStateException("no");
        });
        CompletionStage<String> next = limiter.submit(() -> CompletableFuture.completedFuture("ran"));

        assertTrue(thrown.toCompletableFuture().isCompletedExceptionally());
        assertEquals("ran", next.toCompletableFuture().join());
    }
}
