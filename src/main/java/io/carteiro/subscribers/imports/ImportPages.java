package io.carteiro.subscribers.imports;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Admin pages for imports: the recent imports, and one import's page whose progress fragment htmx reloads every
 * second until the job ends. The upload form of a list is {@link ListImportPages}.
 */
@Path("/admin/imports")
@Produces(MediaType.TEXT_HTML)
public class ImportPages {

    static final int ERRORS_ON_PAGE = 200;

    @Inject
    ImportService imports;

    /** What the upload form shows again after a refusal. */
    record Form(String mode, String legalBasis, String delimiter, String charset, String mapping) {
        static final Form EMPTY = new Form("subscribe", "", "", "UTF-8", "");
    }

    @CheckedTemplate(basePath = "imports")
    static class Templates {
        static native TemplateInstance newImport(ImportJobs.ListInfo list, Form form, String error);

        static native TemplateInstance jobs(List<ImportJob> jobs);

        static native TemplateInstance job(ImportJob job, List<RowError> errors);

        static native TemplateInstance job$progress(ImportJob job, List<RowError> errors);
    }

    @GET
    public TemplateInstance recent() throws SQLException {
        return Templates.jobs(imports.recent(100));
    }

    @GET
    @Path("/{id}")
    public Response show(@PathParam("id") long id) throws SQLException {
        Optional<ImportJob> job = imports.find(id);
        if (job.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).entity("No import " + id).build();
        }
        return Response.ok(Templates.job(job.get(), imports.errors(id, ERRORS_ON_PAGE))).build();
    }

    @GET
    @Path("/{id}/progress")
    public Response progress(@PathParam("id") long id) throws SQLException {
        Optional<ImportJob> job = imports.find(id);
        if (job.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).entity("No import " + id).build();
        }
        return Response.ok(Templates.job$progress(job.get(), imports.errors(id, ERRORS_ON_PAGE)))
                .build();
    }
}
