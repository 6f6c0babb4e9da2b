package io.carteiro.subscribers.exports;

import io.carteiro.subscribers.SubscriberQuery;
import io.carteiro.web.Flash;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import java.sql.SQLException;

/**
 * The export button of the admin's subscriber search: the CSV of exactly what the page found, streamed by
 * {@link ExportsApi}, under the signed-in session; a refused filter goes back to the search with its reason in the
 * form's words.
 */
@Path("/admin/subscribers/export")
public class SearchExportPage {

    @Inject
    SubscriberExport export;

    @Inject
    ExportsApi exports;

    /** The subscribers the search page found with these same fields (address, name, status, list, attribute). */
    @GET
    public Response search(@QueryParam("q") String email, @QueryParam("name") String name,
                           @QueryParam("status") String status, @QueryParam("listId") String listParam,
                           @QueryParam("attr") String attr) throws SQLException {
        // The search form sends "listId=" for "any list", so the number is read leniently, as the page reads it.
        Long listId = listParam == null || listParam.isBlank() ? null : parseId(listParam);
        if (listId != null && listId < 0) {
            return Flash.error("Choose a list from the search form.").redirectTo("/admin/subscribers");
        }
        if (ExportFilter.problem(status).isPresent()) {
            return Flash.error("Choose a status from the search form.").redirectTo("/admin/subscribers");
        }
        if (listId != null && !export.listExists(listId)) {
            return Flash.error("That list no longer exists.").redirectTo("/admin/subscribers");
        }
        String[] attribute;
        try {
            attribute = SubscriberQuery.parseAttributeFilter(attr);
        } catch (IllegalArgumentException e) {
            return Flash.error("Write the attribute as key:value, e.g. city:Lisbon.").redirectTo("/admin/subscribers");
        }
        ExportFilter filter = ExportFilter.of(listId, null, status).narrowed(email, name,
                attribute == null ? null : new ExportFilter.Attribute(attribute[0], attribute[1]));
        return exports.csv(filter, "subscribers.csv");
    }

    private static long parseId(String text) {
        try {
            long id = Long.parseLong(text.strip());
            return id < 0 ? -1 : id;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
