package io.carteiro.delivery.mtasts;

import io.carteiro.delivery.DomainTlsPolicy;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * For operators: the MTA-STS policy the engine applies to a recipient domain (asked as the engine asks, so a domain
 * not cached yet is looked up), what is cached of it, and its TLS policy failures of the last 30 days.
 */
@Path("/api/delivery/mta-sts")
@Produces(MediaType.APPLICATION_JSON)
public class MtaStsApi {

    /** The answer for one domain. */
    public record DomainReport(String domain, String applied, List<String> mx, Cached cached,
                               List<TlsFailureStore.DailyFailures> failures) {
    }

    /** The cached policy as stored. */
    public record Cached(String id, String mode, List<String> mx, long maxAgeSeconds, Instant fetchedAt,
                         Instant expiresAt, Instant checkedAt, String lastError, Instant lastErrorAt) {
    }

    @Inject
    MtaStsPolicies policies;

    @Inject
    TlsFailureStore failures;

    @Inject
    MtaStsConfig config;

    @Inject
    Clock clock;

    @GET
    @Path("{domain}")
    public Response domain(@PathParam("domain") String domain) {
        Optional<String> key = PolicyDomain.key(domain);
        if (key.isEmpty()) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Map.of("error", "'" + StsRecord.shorten(domain) + "' is not a domain name")).build();
        }
        if (!config.enabled()) {
            Map<String, Object> off = new LinkedHashMap<>();
            off.put("domain", key.get());
            off.put("applied", "disabled");
            off.put("error", "MTA-STS is off (carteiro.delivery.mta-sts.enabled=false)");
            return Response.ok(off).build();
        }
        DomainTlsPolicy applied = policies.policyFor(key.get());
        Cached cached = policies.cached(key.get()).map(c -> new Cached(c.id(), c.policy().mode().wire(),
                c.policy().mxPatterns(), c.policy().maxAgeSeconds(), c.fetchedAt(), c.expiresAt(), c.checkedAt(),
                c.lastError(), c.lastErrorAt())).orElse(null);
        LocalDate since = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(30);
        return Response.ok(new DomainReport(key.get(), mode(applied), patterns(applied), cached,
                failures.forDomain(key.get(), since))).build();
    }

    private static String mode(DomainTlsPolicy policy) {
        if (policy instanceof DomainTlsPolicy.Enforce) {
            return "enforce";
        }
        return policy instanceof DomainTlsPolicy.Testing ? "testing" : "none";
    }

    private static List<String> patterns(DomainTlsPolicy policy) {
        if (policy instanceof DomainTlsPolicy.Enforce enforce) {
            return enforce.mxPatterns();
        }
        return policy instanceof DomainTlsPolicy.Testing testing ? testing.mxPatterns() : List.of();
    }
}
