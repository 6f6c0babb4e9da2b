package io.carteiro.lists;

import io.carteiro.web.DashboardTotals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.List;

/** The dashboard's count of lists. */
@ApplicationScoped
class ListTotals implements DashboardTotals {

    @Inject
    EntityManager em;

    @Override
    public List<Line> lines() {
        return List.of(new Line(10, "/admin/lists", count("select count(*) from mailing_list") + " lists"));
    }

    private long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }
}
