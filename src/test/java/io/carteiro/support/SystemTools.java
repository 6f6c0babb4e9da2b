package io.carteiro.support;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tests that drive a system program (chromium, smtp-sink, swaks, …) ask here first: where the program is missing they
 * skip with a printed reason, unless {@code CARTEIRO_REQUIRE_SYSTEM_TOOLS=true} (set by CI), where they fail.
 */
public final class SystemTools {

    private SystemTools() {
    }

    public static boolean required() {
        return Boolean.parseBoolean(System.getenv("CARTEIRO_REQUIRE_SYSTEM_TOOLS"));
    }

    /** Returns the program's path, or skips (fails under CI) the calling test when it is not installed. */
    public static Path require(String program, String debianPackage) {
        Path path = Path.of(program);
        if (Files.isExecutable(path)) {
            return path;
        }
        String reason = program + " is not installed (Debian package " + debianPackage + ")";
        if (required()) {
            throw new AssertionError(reason + ", and CARTEIRO_REQUIRE_SYSTEM_TOOLS=true forbids skipping");
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
        return path;
    }
}
