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

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The admin landing page: each feature's totals ({@link DashboardTotals}), charts of the last 30 days
 * ({@link DashboardSeries}) and where to go next.
 */
@Path("/admin")
public class Dashboard {

    @Inject
    Instance<DashboardTotals> features;

    @Inject
    SecurityIdentity identity;

    // --- charts (issue 15.9) ---
    static final int CHART_DAYS = 30;

    @Inject
    Instance<DashboardSeries> series;

    @Inject
    Clock clock;
    // --- end charts ---

    @CheckedTemplate(basePath = "web")
    static class Templates {
        static native TemplateInstance dashboard(String user, List<DashboardTotals.Line> totals, List<DayChart> charts);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance show() {
        List<DashboardTotals.Line> lines = new ArrayList<>();
        features.forEach(feature -> lines.addAll(feature.lines()));
        lines.sort(Comparator.comparingInt(DashboardTotals.Line::order));
        return Templates.dashboard(identity.getPrincipal().getName(), lines, charts());
    }

    /** Each feature's series over the last {@value #CHART_DAYS} UTC days, today included, as charts in order. */
    private List<DayChart> charts() {
        LocalDate last = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = last.minusDays(CHART_DAYS - 1L);
        List<DashboardSeries.Series> all = new ArrayList<>();
        series.forEach(feature -> all.addAll(feature.series(first, last)));
        all.sort(Comparator.comparingInt(DashboardSeries.Series::order));
        return all.stream().map(s -> DayChart.of("chart-" + s.order(), s.title(), first, s.perDay(), s.levels())).toList();
    }
}
