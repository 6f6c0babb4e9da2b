package io.carteiro.subscribers.imports;

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
import java.util.Optional;

/**
 * The upload form of one list's import and its submission, which starts the job and leads to its page in
 * {@link ImportPages}. A resource of its own so its path sits under {@code /admin/lists/{listId}}.
 */
@Path("/admin/lists/{listId}/imports")
@Produces(MediaType.TEXT_HTML)
public class ListImportPages {

    /** The upload form's labels for the API's parameter names in the import's refusals. */
    static final io.carteiro.web.FormWords WORDS = io.carteiro.web.FormWords.of("legalBasis",
            "Legal basis of the consent", "mapping", "Column mapping", "delimiter", "Delimiter",
            "charset", "Character set", "mode", "Mode");

    @Inject
    ImportService imports;

    @Inject
    SecurityIdentity identity;

    @GET
    @Path("/new")
    public Response form(@PathParam("listId") long listId) throws SQLException {
        Optional<ImportJobs.ListInfo> list = imports.list(listId);
        if (list.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).entity("No list " + listId).build();
        }
        return Response.ok(ImportPages.Templates.newImport(list.get(), ImportPages.Form.EMPTY, null)).build();
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@PathParam("listId") long listId, @RestForm("file") FileUpload file,
                           @RestForm String mode, @RestForm String legalBasis, @RestForm String delimiter,
                           @RestForm String charset, @RestForm String mapping) throws SQLException, IOException {
        Optional<ImportJobs.ListInfo> list = imports.list(listId);
        if (list.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).entity("No list " + listId).build();
        }
        ImportPages.Form form = new ImportPages.Form(mode, legalBasis, delimiter, charset, mapping);
        if (file == null || file.uploadedFile() == null) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(ImportPages.Templates.newImport(list.get(), form, "Choose a CSV file to upload.")).build();
        }
        ImportRequest request = new ImportRequest(listId, mode, legalBasis, delimiter, charset, mapping,
                file.fileName(), identity.getPrincipal().getName());
        ImportService.Acceptance acceptance = imports.accept(request, file.uploadedFile());
        if (acceptance instanceof ImportService.Accepted accepted) {
            return Response.seeOther(URI.create("/admin/imports/" + accepted.job().id())).build();
        }
        String error = acceptance instanceof ImportService.Rejected rejected ? WORDS.speak(rejected.error())
                : "The list no longer exists.";
        return Response.status(Response.Status.BAD_REQUEST).entity(ImportPages.Templates.newImport(list.get(), form, error))
                .build();
    }
}
