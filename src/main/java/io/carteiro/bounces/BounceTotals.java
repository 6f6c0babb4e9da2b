package io.carteiro.bounces;

import io.carteiro.web.DashboardTotals;
import io.carteiro.web.Words;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The dashboard's count of bounces received in the last seven days. */
@ApplicationScoped
class BounceTotals implements DashboardTotals {

    private final BounceQueries queries;
    private final Clock clock;

    BounceTotals(BounceQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    @Override
    public List<Line> lines() {
        long lastWeek = queries.receivedSince(clock.instant().minus(Duration.ofDays(7)));
        return List.of(new Line(40, "/admin/bounces", Words.count(lastWeek, "bounce", "bounces") + " in the last 7 days"));
    }
}
