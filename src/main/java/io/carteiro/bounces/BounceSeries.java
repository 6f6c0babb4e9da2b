package io.carteiro.bounces;

import io.carteiro.web.DashboardSeries;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.util.List;

/** The dashboard's charts of bounces (hard and soft) and complaints per day. */
@ApplicationScoped
class BounceSeries implements DashboardSeries {

    private final BounceQueries queries;

    BounceSeries(BounceQueries queries) {
        this.queries = queries;
    }

    @Override
    public List<Series> series(LocalDate first, LocalDate last) {
        return List.of(
                new Series(30, "Bounces (hard and soft)", queries.perDayOfKinds(List.of("hard", "soft"), first, last)),
                new Series(40, "Complaints", queries.perDayOfKinds(List.of("complaint"), first, last)));
    }
}
