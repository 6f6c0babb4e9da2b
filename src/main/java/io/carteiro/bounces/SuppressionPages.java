package io.carteiro.bounces;

import io.carteiro.web.Words;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/** Admin page of the suppression list: add or remove an address or domain with its reason, import and export CSV. */
@Path("/admin/suppression")
@Produces(MediaType.TEXT_HTML)
public class SuppressionPages {

    @CheckedTemplate(basePath = "bounces")
    static class Templates {
        static native TemplateInstance suppression(List<io.carteiro.subscribers.Suppressions.Entry> entries, String q,
                                                   BouncePages.Flash flash, List<String> errors);
    }

    private final SuppressionList suppressions;

    SuppressionPages(SuppressionList suppressions) {
        this.suppressions = suppressions;
    }

    @GET
    public TemplateInstance page(@QueryParam("q") String q, @QueryParam("done") String done) {
        return Templates.suppression(suppressions.list(q, 500), q == null ? "" : q,
                done == null ? null : new BouncePages.Flash("ok", done), List.of());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response add(@FormParam("kind") String kind, @FormParam("value") String value,
                        @FormParam("reason") String reason, @FormParam("detail") String detail) {
        try {
            var entry = suppressions.add(new SuppressionList.NewEntry(kind, value, reason, detail));
            return done("Suppressed " + entry.kind() + " " + entry.value());
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(Templates.suppression(suppressions.list(null, 500), "",
                    new BouncePages.Flash("error", e.getMessage()), List.of())).build();
        }
    }

    @POST
    @Path("{id}/delete")
    public Response remove(@PathParam("id") long id) {
        return suppressions.remove(id) ? done("Entry removed") : Response.status(404)
                .entity(Templates.suppression(suppressions.list(null, 500), "",
                        new BouncePages.Flash("error", "no suppression entry with id " + id), List.of())).build();
    }

    @POST
    @Path("import")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response importCsv(@RestForm("file") FileUpload file) throws IOException {
        if (file == null || file.uploadedFile() == null) {
            return Response.status(400).entity(Templates.suppression(suppressions.list(null, 500), "",
                    new BouncePages.Flash("error", "choose a CSV file to import"), List.of())).build();
        }
        SuppressionList.ImportResult result;
        try (Reader reader = Files.newBufferedReader(file.uploadedFile(), StandardCharsets.UTF_8)) {
            result = suppressions.importCsv(reader);
        }
        if (!result.errors().isEmpty()) {
            return Response.status(400).entity(Templates.suppression(suppressions.list(null, 500), "",
                    new BouncePages.Flash("error", "Nothing imported: fix these rows and try again."),
                    result.errors())).build();
        }
        return done("Imported " + Words.count(result.added(), "entry", "entries") + " (" + result.alreadyPresent()
                + " already present)");
    }

    @GET
    @Path("export.csv")
    @Produces("text/csv")
    public Response export() {
        StreamingOutput body = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            suppressions.exportCsv(writer);
            writer.flush();
        };
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"suppression.csv\"").build();
    }

    private static Response done(String message) {
        return Response.seeOther(URI.create("/admin/suppression?done="
                + java.net.URLEncoder.encode(message, StandardCharsets.UTF_8))).build();
    }
}
