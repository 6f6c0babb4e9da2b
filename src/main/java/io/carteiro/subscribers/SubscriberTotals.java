package io.carteiro.subscribers;

import io.carteiro.web.DashboardTotals;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The dashboard's count of subscribers. */
@ApplicationScoped
class SubscriberTotals implements DashboardTotals {

    private final SubscriberSearch search;

    SubscriberTotals(SubscriberSearch search) {
        this.search = search;
    }

    @Override
    public List<Line> lines() {
        return List.of(new Line(20, "/admin/subscribers", search.count() + " subscribers"));
    }
}
