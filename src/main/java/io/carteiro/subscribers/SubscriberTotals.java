package io.carteiro.subscribers;

import io.carteiro.web.DashboardTotals;
import io.carteiro.web.Words;
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
        return List.of(new Line(20, "/admin/subscribers", Words.count(search.count(), "subscriber", "subscribers")));
    }
}
