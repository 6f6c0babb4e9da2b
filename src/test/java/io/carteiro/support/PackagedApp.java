package io.carteiro.support;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The runnable application for tests that start whole Carteiro processes (crash and multi-process tests). The
 * Quarkus build runs in {@code process-test-classes}, before the tests, so {@code ./mvnw test} always has it.
 */
public final class PackagedApp {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private PackagedApp() {
    }

    /** Returns the jar, or skips the calling test (fails under CI) when the build was skipped. */
    public static Path require() {
        if (Files.exists(JAR)) {
            return JAR;
        }
        String reason = JAR + " is missing (the Quarkus build runs before the tests unless -Dquarkus.build.skip)";
        if (SystemTools.required()) {
            throw new AssertionError(reason + ", and CARTEIRO_REQUIRE_SYSTEM_TOOLS=true forbids skipping");
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
        return JAR;
    }
}
