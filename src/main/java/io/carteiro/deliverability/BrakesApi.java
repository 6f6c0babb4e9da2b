package io.carteiro.deliverability;

import io.carteiro.web.ApiErrors;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;

/** The reputation brakes' thresholds over the JSON API: {@code GET} and {@code PUT /api/deliverability/brakes}. */
@Path("/api/deliverability/brakes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deliverability")
public class BrakesApi {

    /** The thresholds as the API reads and writes them (every field required on PUT). */
    public record Brakes(Boolean enabled, Integer firstMessages, Integer minMessages, BigDecimal hardBouncePercent,
                         BigDecimal complaintPercent, Integer minDelivered, BigDecimal providerRefusalPercent,
                         Integer providerMinAttempts) {

        static Brakes of(BrakeSettings s) {
            return new Brakes(s.enabled(), s.firstMessages(), s.minMessages(), s.hardBouncePercent(),
                    s.complaintPercent(), s.minDelivered(), s.providerRefusalPercent(), s.providerMinAttempts());
        }
    }

    @Inject
    BrakeSettingsStore store;
    @Inject
    SecurityIdentity identity;

    @GET
    @Operation(summary = "The thresholds at which a running campaign pauses itself")
    public Brakes get() {
        return Brakes.of(store.current());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the thresholds at which a running campaign pauses itself")
    public Response put(Brakes b) {
        if (b == null) {
            return ApiErrors.badRequest(null, "a JSON body with the thresholds is required");
        }
        String missing = b.enabled() == null ? "enabled" : b.firstMessages() == null ? "firstMessages"
                : b.minMessages() == null ? "minMessages" : b.hardBouncePercent() == null ? "hardBouncePercent"
                : b.complaintPercent() == null ? "complaintPercent" : b.minDelivered() == null ? "minDelivered"
                : b.providerRefusalPercent() == null ? "providerRefusalPercent"
                : b.providerMinAttempts() == null ? "providerMinAttempts" : null;
        if (missing != null) {
            return ApiErrors.badRequest(missing, missing + " is required");
        }
        BrakeSettings s = new BrakeSettings(b.enabled(), b.firstMessages(), b.minMessages(), b.hardBouncePercent(),
                b.complaintPercent(), b.minDelivered(), b.providerRefusalPercent(), b.providerMinAttempts());
        var problem = BrakeSettings.problem(s);
        if (problem.isPresent()) {
            return ApiErrors.badRequest(problem.get()[0], problem.get()[1]);
        }
        store.save(s, identity.getPrincipal().getName());
        return Response.ok(Brakes.of(store.current())).build();
    }
}
