package io.carteiro.deliverability;

import io.carteiro.web.ApiErrors;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The received reports over the JSON API: {@code GET /api/dmarc-reports} (paged, with the alerts they raise),
 * {@code GET /api/dmarc-reports/{id}}
 * and {@code GET /api/tls-reports} (paged).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deliverability")
public class ReportsApi {

    static final int MAX_SIZE = 200;

    /** A page of items. */
    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    /** A page of DMARC reports, with the alerts of the last 30 days' reports ({@link DmarcAlerts}). */
    public record DmarcPage(List<ReportStore.DmarcSummary> items, int page, int size, long total,
                            List<DmarcAlerts.Alert> alerts) {
    }

    /** A DMARC report with its records. */
    public record DmarcDetail(ReportStore.DmarcSummary report, List<DmarcReport.Row> records) {
    }

    /** A TLS report with its failure lines. */
    public record TlsDetail(ReportStore.TlsSummary report, List<ReportStore.TlsFailure> failures) {
    }

    @Inject
    ReportStore store;
    @Inject
    DmarcAlerts alerts;

    @GET
    @Path("dmarc-reports")
    @Transactional
    @Operation(summary = "DMARC aggregate reports received, newest first, with the alerts of the last 30 days: "
            + "unknown-source, aligned-pass-fall, aligned-pass")
    public Response dmarc(@QueryParam("page") @DefaultValue("0") int page,
                          @QueryParam("size") @DefaultValue("50") int size) {
        Response bad = badPage(page, size);
        if (bad != null) {
            return bad;
        }
        return Response.ok(new DmarcPage(store.dmarcPage(page * size, size), page, size, store.dmarcCount(),
                alerts.current())).build();
    }

    @GET
    @Path("dmarc-reports/{id}")
    @Transactional
    @Operation(summary = "One DMARC aggregate report with its records (source address, count, results)")
    public Response dmarcReport(@PathParam("id") long id) {
        return store.dmarc(id).map(r -> Response.ok(new DmarcDetail(r, store.dmarcRows(id))).build())
                .orElseGet(() -> ApiErrors.error(Response.Status.NOT_FOUND, "no DMARC report with id " + id));
    }

    @GET
    @Path("tls-reports")
    @Transactional
    @Operation(summary = "SMTP TLS reports (RFC 8460) received, newest first, with their failure lines")
    public Response tls(@QueryParam("page") @DefaultValue("0") int page,
                        @QueryParam("size") @DefaultValue("50") int size) {
        Response bad = badPage(page, size);
        if (bad != null) {
            return bad;
        }
        List<ReportStore.TlsSummary> reports = store.tlsPage(page * size, size);
        Map<Long, List<ReportStore.TlsFailure>> failures = store.tlsFailures(reports.stream()
                .map(ReportStore.TlsSummary::id).toList()).stream()
                .collect(Collectors.groupingBy(ReportStore.TlsFailure::reportId));
        return Response.ok(new Page<>(reports.stream().map(r -> new TlsDetail(r, failures.getOrDefault(r.id(),
                List.of()))).toList(), page, size, store.tlsCount())).build();
    }

    private static Response badPage(int page, int size) {
        if (page < 0 || page > 1_000_000) {
            return ApiErrors.badRequest("page", "page must be 0 to 1000000");
        }
        if (size < 1 || size > MAX_SIZE) {
            return ApiErrors.badRequest("size", "size must be 1 to " + MAX_SIZE);
        }
        return null;
    }
}
