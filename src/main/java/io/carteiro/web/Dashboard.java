package io.carteiro.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The admin landing page: each feature's totals ({@link DashboardTotals}) and where to go next. */
@Path("/admin")
public class Dashboard {

    @Inject
    Instance<DashboardTotals> features;

    @Inject
    SecurityIdentity identity;

    @CheckedTemplate(basePath = "web")
    static class Templates {
        static native TemplateInstance dashboard(String user, List<DashboardTotals.Line> totals);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance show() {
        List<DashboardTotals.Line> lines = new ArrayList<>();
        features.forEach(feature -> lines.addAll(feature.lines()));
        lines.sort(Comparator.comparingInt(DashboardTotals.Line::order));
        return Templates.dashboard(identity.getPrincipal().getName(), lines);
    }
}
