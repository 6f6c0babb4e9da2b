package io.carteiro.subscribers.imports;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** CSV import jobs over the JSON API: poll a job for progress and row errors ({@link ListImportsApi} uploads). */
@Path("/api/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportsApi {

    @Inject
    ImportService imports;

    @GET
    @Path("/{id}")
    @Operation(summary = "State, counts and row errors of an import")
    public Response show(@PathParam("id") long id) throws SQLException {
        var job = imports.find(id);
        if (job.isEmpty()) {
            return error(Response.Status.NOT_FOUND, "import " + id + " does not exist");
        }
        return Response.ok(ImportView.of(job.get(), imports.errors(id, imports.maxStoredErrors()),
                imports.maxStoredErrors())).build();
    }

    @GET
    @Operation(summary = "Recent imports, newest first, without their row errors")
    public List<ImportView> recent(@QueryParam("limit") @DefaultValue("50") int limit) throws SQLException {
        return imports.recent(Math.max(1, Math.min(limit, 500))).stream()
                .map(job -> ImportView.of(job, List.of(), imports.maxStoredErrors())).toList();
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
