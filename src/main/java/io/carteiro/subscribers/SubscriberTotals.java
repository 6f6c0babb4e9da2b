package io.carteiro.subscribers;

import io.carteiro.web.DashboardTotals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.List;

/** The dashboard's count of subscribers. */
@ApplicationScoped
class SubscriberTotals implements DashboardTotals {

    @Inject
    EntityManager em;

    @Override
    public List<Line> lines() {
        return List.of(new Line(20, "/admin/subscribers", count("select count(*) from subscriber") + " subscribers"));
    }

    private long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }
}
