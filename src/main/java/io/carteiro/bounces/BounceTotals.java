package io.carteiro.bounces;

import io.carteiro.web.DashboardTotals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.List;

/** The dashboard's count of bounces received in the last seven days. */
@ApplicationScoped
class BounceTotals implements DashboardTotals {

    @Inject
    EntityManager em;

    @Override
    public List<Line> lines() {
        return List.of(new Line(40, "/admin/bounces",
                count("select count(*) from bounce where received_at > utc_timestamp(6) - interval 7 day")
                        + " bounces in the last 7 days"));
    }

    private long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }
}
