package io.carteiro.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The admin landing page: a few totals and where to go next. */
@Path("/admin")
public class Dashboard {

    @Inject
    EntityManager em;

    @Inject
    SecurityIdentity identity;

    /** The totals on the page; each is one indexed count. */
    record Totals(long lists, long subscribers, long campaignsSending, long campaignsScheduled, long bouncesThisWeek) {
    }

    @CheckedTemplate(basePath = "web")
    static class Templates {
        static native TemplateInstance dashboard(String user, Totals totals);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance show() {
        Totals totals = new Totals(
                count("select count(*) from mailing_list"),
                count("select count(*) from subscriber"),
                count("select count(*) from campaign where status in ('running', 'paused')"),
                count("select count(*) from campaign where status = 'scheduled'"),
                count("select count(*) from bounce where received_at > utc_timestamp(6) - interval 7 day"));
        return Templates.dashboard(identity.getPrincipal().getName(), totals);
    }

    private long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }
}
