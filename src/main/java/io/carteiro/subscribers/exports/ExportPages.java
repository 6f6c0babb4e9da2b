package io.carteiro.subscribers.exports;

import io.carteiro.web.Flash;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.sql.SQLException;

/**
 * The admin's export buttons: the same CSV as {@link ExportsApi} and {@link ListExportApi}, under {@code /admin} so
 * the browser's signed-in session reaches it (the API answers a browser with a bare 401). A download changes
 * nothing, so it is a GET and needs no CSRF token. The search result's button is {@link SearchExportPage}: each
 * has its full path, as JAX-RS picks a resource class by its path before its methods.
 */
@Path("/admin/lists/{listId}/export")
public class ExportPages {

    @Inject
    SubscriberExport export;

    @Inject
    ExportsApi exports;

    @GET
    public Response list(@PathParam("listId") long listId) throws SQLException {
        if (!export.listExists(listId)) {
            return Flash.error("That list no longer exists.").redirectTo("/admin/lists");
        }
        return exports.csv(ExportFilter.of(listId, null, null), "list-" + listId + ".csv");
    }
}
