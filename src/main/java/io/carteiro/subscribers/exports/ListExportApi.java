package io.carteiro.subscribers.exports;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.sql.SQLException;

/** One list's subscribers as CSV, written by {@link ExportsApi}; a resource of its own under its list's path. */
@Path("/api/lists/{listId}/export")
public class ListExportApi {

    @Inject
    SubscriberExport export;

    @Inject
    ExportsApi exports;

    @GET
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    @Operation(summary = "Every subscriber of a list as CSV, with that subscription's status and date")
    public Response list(@PathParam("listId") long listId) throws SQLException {
        if (!export.listExists(listId)) {
            return ExportsApi.error(Response.Status.NOT_FOUND, "list " + listId + " does not exist");
        }
        return exports.csv(ExportFilter.of(listId, null, null), "list-" + listId + ".csv");
    }
}
