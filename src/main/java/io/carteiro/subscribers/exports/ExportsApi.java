package io.carteiro.subscribers.exports;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.Map;

/**
 * CSV exports over the API, streamed while they are read: the subscribers matching a search here, a whole list in
 * {@link ListExportApi}. Columns: email, name, status, subscription_status, subscribed_at, then one per attribute key.
 */
@Path("/api/subscribers/export")
public class ExportsApi {

    @Inject
    SubscriberExport export;

    @GET
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    @Operation(summary = "Subscribers matching a search (address or name prefix, status, list) as CSV")
    public Response search(@QueryParam("q") String q, @QueryParam("status") String status,
                           @QueryParam("listId") Long listId) throws SQLException {
        var problem = ExportFilter.problem(status);
        if (problem.isPresent()) {
            return error(Response.Status.BAD_REQUEST, problem.get());
        }
        if (listId != null && !export.listExists(listId)) {
            return error(Response.Status.NOT_FOUND, "list " + listId + " does not exist");
        }
        return csv(ExportFilter.of(listId, q, status), "subscribers.csv");
    }

    Response csv(ExportFilter filter, String fileName) {
        StreamingOutput body = out -> {
            try {
                export.write(filter, out);
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException("export stopped by a database error", e));
            }
        };
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"").build();
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
