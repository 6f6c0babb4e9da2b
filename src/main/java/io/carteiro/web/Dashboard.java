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

    @CheckedTemplate(basePath = "web")
    static class Templates {
        static native TemplateInstance dashboard(String user, long lists, long subscribers);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance show() {
        long lists = ((Number) em.createNativeQuery("select count(*) from mailing_list").getSingleResult()).longValue();
        long subscribers = ((Number) em.createNativeQuery("select count(*) from subscriber").getSingleResult()).longValue();
        return Templates.dashboard(identity.getPrincipal().getName(), lists, subscribers);
    }
}
