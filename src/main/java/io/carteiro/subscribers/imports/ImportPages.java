package io.carteiro.subscribers.imports;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Admin pages for imports: the upload form of a list, the recent imports, and one import's page whose progress
 * fragment htmx reloads every second until the job ends.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
public class ImportPages {

    static final int ERRORS_ON_PAGE = 200;

    @Inject
    ImportService imports;

    @Inject
    SecurityIdentity identity;

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
    @Path("/lists/{listId}/imports/new")
    public Response form(@PathParam("listId") long listId) throws SQLException {
        Optional<ImportJobs.ListInfo> list = imports.list(listId);
        if (list.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).entity("No list " + listId).build();
        }
        return Response.ok(Templates.newImport(list.get(), Form.EMPTY, null)).build();
    }

    @POST
    @Path("/lists/{listId}/imports")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@PathParam("listId") long listId, @RestForm("file") FileUpload file,
                           @RestForm String mode, @RestForm String legalBasis, @RestForm String delimiter,
                           @RestForm String charset, @RestForm String mapping) throws SQLException, IOException {
        Optional<ImportJobs.ListInfo> list = imports.list(listId);
        if (list.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).entity("No list " + listId).build();
        }
        Form form = new Form(mode, legalBasis, delimiter, charset, mapping);
        if (file == null || file.uploadedFile() == null) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Templates.newImport(list.get(), form, "Choose a CSV file to upload.")).build();
        }
        ImportRequest request = new ImportRequest(listId, mode, legalBasis, delimiter, charset, mapping,
                file.fileName(), identity.getPrincipal().getName());
        ImportService.Acceptance acceptance = imports.accept(request, file.uploadedFile());
        if (acceptance instanceof ImportService.Accepted accepted) {
            return Response.seeOther(URI.create("/admin/imports/" + accepted.job().id())).build();
        }
        String error = acceptance instanceof ImportService.Rejected rejected ? rejected.error()
                : "The list no longer exists.";
        return Response.status(Response.Status.BAD_REQUEST).entity(Templates.newImport(list.get(), form, error))
                .build();
    }

    @GET
    @Path("/imports")
    public TemplateInstance recent() throws SQLException {
        return Templates.jobs(imports.recent(100));
    }

    @GET
    @Path("/imports/{id}")
    public Response show(@PathParam("id") long id) throws SQLException {
        Optional<ImportJob> job = imports.find(id);
        if (job.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).entity("No import " + id).build();
        }
        return Response.ok(Templates.job(job.get(), imports.errors(id, ERRORS_ON_PAGE))).build();
    }

    @GET
    @Path("/imports/{id}/progress")
    public Response progress(@PathParam("id") long id) throws SQLException {
        Optional<ImportJob> job = imports.find(id);
        if (job.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).entity("No import " + id).build();
        }
        return Response.ok(Templates.job$progress(job.get(), imports.errors(id, ERRORS_ON_PAGE)))
                .build();
    }
}
