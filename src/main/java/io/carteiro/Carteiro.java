package io.carteiro;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point: starts the embedded MariaDB when no database server is configured, then Quarkus.
 */
@QuarkusMain
public class Carteiro {

    public static void main(String... args) {
        EmbeddedMariaDb.startUnlessServerConfigured();
        Quarkus.run(args);
    }
}
