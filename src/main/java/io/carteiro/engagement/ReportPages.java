package io.carteiro.engagement;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The campaign report page and its CSV download, for signed-in admins. Only the report's own paths are matched
 * here; the other {@code /admin/campaigns/...} pages stay the campaigns feature's.
 */
@Path("/admin/campaigns/{id}/report")
public class ReportPages {

    @CheckedTemplate(basePath = "engagement")
    static class Templates {
        static native TemplateInstance report(CampaignReport report, RawString chart);
    }

    @Inject
    CampaignReports reports;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@PathParam("id") long id) {
        return reports.of(id).map(r -> Response.ok(Templates.report(r, new RawString(TimelineChart.svg(r.timeline()))))
                        .build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                        .entity("No campaign " + id + ".").build());
    }

    @GET
    @Path("/csv")
    @Produces("text/csv")
    public Response csv(@PathParam("id") long id) {
        return reports.of(id).map(r -> Response.ok(ReportCsv.of(r), "text/csv; charset=UTF-8")
                        .header("Content-Disposition", "attachment; filename=\"campaign-" + id + "-report.csv\"")
                        .build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                        .entity("No campaign " + id + ".").build());
    }
}
