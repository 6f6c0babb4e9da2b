package io.carteiro.engagement;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The UTM form on the campaign page (the campaigns feature's page includes engagement/campaignUtm.html). */
@Path("/admin/campaigns/{id}/utm")
public class UtmPage {

    @CheckedTemplate(basePath = "engagement")
    static class Templates {
        static native TemplateInstance utmRefused(long campaignId, String message);
    }

    @Inject
    UtmSettings settings;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response form(@PathParam("id") long id, @FormParam("utmEnabled") String enabled,
                         @FormParam("utmSource") String source, @FormParam("utmMedium") String medium,
                         @FormParam("utmCampaign") String campaign) {
        UtmSettings.Outcome outcome = settings.save(id, enabled != null, source, medium, campaign);
        String page = "/admin/campaigns/" + id;
        if (outcome instanceof UtmSettings.Saved) {
            return Response.seeOther(java.net.URI.create(page + "#campaign-utm")).build();
        }
        if (outcome instanceof UtmSettings.Refused refused) {
            return Response.status(refused.status()).type(MediaType.TEXT_HTML)
                    .entity(Templates.utmRefused(id, refused.message())).build();
        }
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                .entity("No campaign " + id + ".").build();
    }
}
