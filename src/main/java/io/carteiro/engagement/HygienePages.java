package io.carteiro.engagement;

import io.carteiro.campaigns.CampaignSends;
import io.carteiro.lists.Sunset;
import io.carteiro.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** A list's engagement and hygiene page: its health and its sunset rule, which the owner sets here. */
@Path("/admin/lists/{listId}/engagement")
public class HygienePages {

    @CheckedTemplate(basePath = "engagement")
    static class Templates {
        static native TemplateInstance hygiene(ListHealthView.Row row, Sunset sunset,
                                               List<CampaignSends.Choice> campaigns, Flash flash);
    }

    @Inject
    ListHealthView health;

    @Inject
    SunsetSettings settings;

    @Inject
    CampaignSends sends;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@PathParam("listId") long listId, @CookieParam(Flash.COOKIE) String flash) {
        return settings.of(listId)
                .map(s -> Response.ok(Templates.hygiene(health.of(listId), s, sends.choices(), Flash.read(flash))).build())
                .orElseGet(() -> notFound(listId));
    }

    @POST
    @Path("/sunset")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response save(@PathParam("listId") long listId, @FormParam("enabled") String enabled,
                         @FormParam("months") String months, @FormParam("graceDays") String graceDays,
                         @FormParam("campaignId") String campaignId) {
        Sunset sunset;
        try {
            sunset = new Sunset(enabled != null, number("months", months), number("graceDays", graceDays),
                    campaignId == null || campaignId.isBlank() ? null : campaign(campaignId));
        } catch (IllegalArgumentException e) {
            return refused(listId, new Sunset(enabled != null, Sunset.DEFAULT_MONTHS, Sunset.DEFAULT_GRACE_DAYS,
                    null), e.getMessage());
        }
        SunsetSettings.Outcome outcome = settings.save(listId, sunset);
        if (outcome instanceof SunsetSettings.Saved) {
            return Flash.ok("Sunset rule saved.").redirectTo("/admin/lists/" + listId + "/engagement");
        }
        if (outcome instanceof SunsetSettings.Refused refused) {
            return refused(listId, sunset, refused.message());
        }
        return notFound(listId);
    }

    private Response refused(long listId, Sunset shown, String message) {
        if (settings.of(listId).isEmpty()) {
            return notFound(listId);
        }
        return Response.status(422).type(MediaType.TEXT_HTML)
                .entity(Templates.hygiene(health.of(listId), shown, sends.choices(), Flash.error(message))).build();
    }

    private static int number(String field, String text) {
        try {
            int n = Integer.parseInt(text == null ? "" : text.strip());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be a whole number of at least 1");
        }
    }

    private static long campaign(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("campaignId must name a campaign");
        }
    }

    private static Response notFound(long listId) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                .entity("No list " + listId + ".").build();
    }
}
