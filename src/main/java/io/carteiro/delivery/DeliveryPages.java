package io.carteiro.delivery;

import io.carteiro.delivery.dkim.DkimAlgorithm;
import io.carteiro.delivery.dkim.DkimKey;
import io.carteiro.delivery.dkim.DkimKeys;
import io.carteiro.delivery.dkim.DkimPublication;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Admin pages of the engine: the queue and each message's delivery log, and the sending identity with DKIM keys. */
@Path("/admin/delivery")
@Produces(MediaType.TEXT_HTML)
public class DeliveryPages {

    /** A message at the top of a page. */
    public record Flash(String kind, String message) {
    }

    @CheckedTemplate(basePath = "delivery")
    static class Templates {
        static native TemplateInstance queue(Map<String, Long> counts, List<DeliveryLog.MessageStatus> messages);

        static native TemplateInstance message(DeliveryLog.MessageStatus message);

        static native TemplateInstance settings(SendingIdentity identity, Optional<String> relay,
                                                List<DkimKey> keys, Map<Long, DkimKeys.DnsStatus> dns, Flash flash);
    }

    @Inject
    DeliveryLog log;
    @Inject
    SendingIdentity identity;
    @Inject
    DeliveryConfig config;
    @Inject
    DkimKeys keys;
    @Inject
    DkimPublication publication;
    @Inject
    java.time.Clock clock;

    @GET
    public TemplateInstance queue() {
        return Templates.queue(log.countsByState(), log.recent(100));
    }

    @GET
    @Path("messages/{id}")
    public Response message(@PathParam("id") long id) {
        return log.find(id).map(m -> Response.ok(Templates.message(m)).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND).entity("no message with id " + id)
                        .type(MediaType.TEXT_PLAIN).build());
    }

    @GET
    @Path("settings")
    public TemplateInstance settings(@QueryParam("created") String created, @QueryParam("checked") Long checked) {
        Flash flash = created != null ? new Flash("ok", "Key created: publish its DNS record below; it signs once "
                + "Carteiro sees the record (checked every minute, or now with its button).") : null;
        if (checked != null) {
            flash = keys.find(checked).map(k -> new Flash("ok", "Looked up " + k.dnsName() + ": "
                    + keys.dnsStatus().get(k.id()).state() + ".")).orElse(null);
        }
        return settingsPage(flash);
    }

    /** Looks the key's DNS record up now, rather than at the next minute's check. */
    @POST
    @Path("settings/dkim/{id}/check")
    public Response checkKey(@PathParam("id") long id) {
        Optional<DkimKey> key = keys.find(id);
        if (key.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).entity("no DKIM key with id " + id)
                    .type(MediaType.TEXT_PLAIN).build();
        }
        keys.recordCheck(id, publication.check(key.get()), clock.instant());
        return Response.seeOther(URI.create("/admin/delivery/settings?checked=" + id)).build();
    }

    @POST
    @Path("settings/dkim")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response generateKey(@FormParam("domain") String domain, @FormParam("algorithm") String algorithm,
                                @FormParam("selector") String selector) {
        try {
            DkimAlgorithm chosen = DkimAlgorithm.ofTag(algorithm == null ? "" : algorithm);
            keys.generate(domain, chosen, Optional.ofNullable(selector));
            return Response.seeOther(URI.create("/admin/delivery/settings?created")).build();
        } catch (IllegalArgumentException e) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(settingsPage(new Flash("error", e.getMessage()))).build();
        }
    }

    private TemplateInstance settingsPage(Flash flash) {
        Optional<String> relay = config.relay().host().map(h -> h + ":" + config.relay().port()
                + " (" + config.relay().tls() + ")");
        return Templates.settings(identity, relay, keys.all(), keys.dnsStatus(), flash);
    }
}
