package io.carteiro.ops;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The embedded server this JVM runs, if any, under its supervisor. Started before Quarkus (which then reads the
 * state through {@link #running()} for liveness), so it is held here rather than in a bean.
 */
public final class EmbeddedDatabase {

    private static EmbeddedServerSupervisor supervisor;

    private EmbeddedDatabase() {
    }

    /** Prepares and starts the server under supervision; the first call wins, later ones return its server. */
    public static synchronized EmbeddedServer launch(Path dataDir, int port, List<String> serverArguments)
            throws IOException {
        if (supervisor == null) {
            EmbeddedServerSupervisor started = new EmbeddedServerSupervisor(
                    EmbeddedServer.prepare(dataDir, port, serverArguments),
                    EmbeddedServerSupervisor.Policy.configured(), Clock.systemUTC());
            started.start();
            supervisor = started;
        }
        return supervisor.server();
    }

    public static synchronized Optional<EmbeddedServerSupervisor> running() {
        return Optional.ofNullable(supervisor);
    }

    /** Stops the server cleanly; nothing restarts it afterwards. */
    public static synchronized void stop(Duration timeout) {
        if (supervisor != null) {
            supervisor.stop(timeout);
            supervisor = null;
        }
    }
}
