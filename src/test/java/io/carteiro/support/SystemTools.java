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
        return require(program, debianPackage, Files.isExecutable(Path.of(program)));
    }

    /** As {@link #require} for a file that is not a program (a library such as Galera's provider). */
    public static Path requireFile(String file, String debianPackage) {
        return require(file, debianPackage, Files.exists(Path.of(file)));
    }

    private static Path require(String program, String debianPackage, boolean present) {
        Path path = Path.of(program);
        if (present) {
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
