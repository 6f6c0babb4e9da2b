package io.carteiro.ops;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness of the embedded MariaDB: DOWN once its supervisor gave up bringing it back, so an orchestrator restarts
 * Carteiro (readiness alone would only take it out of the load balancer, forever). A server being restarted is
 * still live: readiness covers the wait. Without an embedded server (a MariaDB server is configured) it is UP.
 */
@Liveness
@ApplicationScoped
class EmbeddedDatabaseLiveness implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Embedded MariaDB");
        return EmbeddedDatabase.running().map(EmbeddedServerSupervisor::status).map(status -> {
            response.status(status.state() != EmbeddedServerSupervisor.State.FAILED)
                    .withData("state", status.state().name())
                    .withData("restarts", status.restarts())
                    .withData("since", status.since().toString());
            if (status.lastProblem() != null) {
                response.withData("lastProblem", status.lastProblem());
            }
            return response.build();
        }).orElseGet(() -> response.up().withData("state", "not used").build());
    }
}
