package io.carteiro.ops;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Operations settings read by Quarkus ({@code carteiro.ops.*}). The embedded database's settings are read before
 * Quarkus starts and are listed in the README instead.
 */
@ConfigMapping(prefix = "carteiro.ops")
public interface OpsConfig {

    /** While the database is unreachable, at most one line per this interval says that it still is. */
    @WithDefault("PT1M")
    Duration outageLogInterval();

    /** How often, during an outage, a connection is tried to notice that the database is back. */
    @WithDefault("PT1S")
    Duration outageProbeInterval();
}
