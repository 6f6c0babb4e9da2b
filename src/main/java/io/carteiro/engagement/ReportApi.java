package io.carteiro.engagement;

import io.carteiro.web.ApiErrors;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A campaign's report as JSON and as CSV. The root path names the report itself, so only these two routes are
 * matched here and every other {@code /api/campaigns/...} route stays the campaigns feature's.
 */
@Path("/api/campaigns/{id}/report")
@Tag(name = "Campaigns")
public class ReportApi {

    @Inject
    CampaignReports reports;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A campaign's report: delivery, bounces, complaints, unsubscribes, person and machine clicks "
            + "and opens, per link, per recipient domain, the first 48 hours, and the previous campaigns")
    public Response report(@PathParam("id") long id) {
        return reports.of(id).map(r -> Response.ok(r).build())
                .orElseGet(() -> ApiErrors.error(Response.Status.NOT_FOUND, "no campaign " + id));
    }

    @GET
    @Path("/csv")
    @Produces("text/csv")
    @Operation(summary = "The same report as CSV, one section per table")
    public Response csv(@PathParam("id") long id) {
        return reports.of(id).map(r -> Response.ok(ReportCsv.of(r), "text/csv; charset=UTF-8")
                        .header("Content-Disposition", "attachment; filename=\"campaign-" + id + "-report.csv\"")
                        .build())
                .orElseGet(() -> ApiErrors.error(Response.Status.NOT_FOUND, "no campaign " + id));
    }
}
