package io.carteiro.subscribers.imports;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.sql.SQLException;
import java.util.Map;

/** Upload of a CSV file to import into a list; the job is then read through {@link ImportsApi}. */
@Path("/api/lists/{listId}/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ListImportsApi {

    @Inject
    ImportService imports;

    @Inject
    SecurityIdentity identity;

    @POST
    @Consumes({"text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Upload a CSV file (header row first) to import into a list in the background")
    public Response upload(@PathParam("listId") long listId,
                           @Parameter(description = "subscribe (default) or blocklist") @QueryParam("mode") String mode,
                           @Parameter(description = "legal basis of the consent; required to subscribe")
                           @QueryParam("legalBasis") String legalBasis,
                           @Parameter(description = ", ; | or tab; detected from the header when absent")
                           @QueryParam("delimiter") String delimiter,
                           @Parameter(description = "UTF-8 (default, a BOM is dropped) or ISO-8859-1")
                           @QueryParam("charset") String charset,
                           @Parameter(description = "e.g. email=E-mail,name=Full name,ignore=notes")
                           @QueryParam("mapping") String mapping,
                           @QueryParam("fileName") String fileName,
                           InputStream body) throws IOException, SQLException {
        ImportRequest request = new ImportRequest(listId, mode, legalBasis, delimiter, charset, mapping, fileName,
                identity.getPrincipal().getName());
        ImportService.Acceptance acceptance = imports.accept(request, body);
        if (acceptance instanceof ImportService.Accepted accepted) {
            return Response.accepted(Map.of("id", accepted.job().id(), "state", accepted.job().state()))
                    .location(URI.create("/api/imports/" + accepted.job().id())).build();
        }
        if (acceptance instanceof ImportService.Rejected rejected) {
            return ImportsApi.error(Response.Status.BAD_REQUEST, rejected.error());
        }
        return ImportsApi.error(Response.Status.NOT_FOUND, "list " + listId + " does not exist");
    }
}
