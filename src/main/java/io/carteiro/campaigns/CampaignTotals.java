package io.carteiro.campaigns;

import io.carteiro.web.DashboardTotals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.List;

/** The dashboard's count of campaigns sending (or paused) and scheduled. */
@ApplicationScoped
class CampaignTotals implements DashboardTotals {

    @Inject
    EntityManager em;

    @Override
    public List<Line> lines() {
        long sending = count("select count(*) from campaign where status in ('running', 'paused')");
        long scheduled = count("select count(*) from campaign where status = 'scheduled'");
        return List.of(new Line(30, "/admin/campaigns", sending + " campaigns sending or paused, " + scheduled
                + " scheduled"));
    }

    private long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }
}
