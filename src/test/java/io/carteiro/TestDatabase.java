package io.carteiro;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link MariaDbTestResource} for every {@code @QuarkusTest} of the run. */
@QuarkusTestResource(MariaDbTestResource.class)
public final class TestDatabase {
    private TestDatabase() {
    }
}
