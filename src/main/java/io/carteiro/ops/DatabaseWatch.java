package io.carteiro.ops;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices that an unreachable database is back, so that the outage's last line is written when it ends rather
 * than whenever some worker next succeeds. It looks only during an outage (a connection from the pool, validated),
 * once per {@code carteiro.ops.outage-probe-interval}.
 */
@ApplicationScoped
class DatabaseWatch {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OpsConfig config;

    @Inject
    Clock clock;

    private ScheduledExecutorService probe;

    void start(@Observes @Priority(10) StartupEvent event) {
        DatabaseOutage.configure(config.outageLogInterval(), clock);
        probe = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "carteiro-database-watch");
            t.setDaemon(true);
            return t;
        });
        long every = config.outageProbeInterval().toMillis();
        probe.scheduleWithFixedDelay(this::lookIfUnreachable, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (probe != null) {
            probe.shutdownNow();
        }
    }

    private void lookIfUnreachable() {
        if (!DatabaseOutage.unreachable()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(2)) {
                DatabaseOutage.reachable();
            }
        } catch (SQLException | RuntimeException stillAway) {
            DatabaseOutage.failed("database watch", stillAway);
        }
    }
}
