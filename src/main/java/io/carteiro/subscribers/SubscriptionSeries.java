package io.carteiro.subscribers;

import io.carteiro.web.DashboardSeries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The dashboard's charts of subscriptions: unsubscribes per day, and list growth as the number of running
 * subscriptions (unconfirmed or confirmed) at the end of each day, counted back from today's total through the
 * day's new subscriptions and unsubscribes (two grouped queries over the indexes of V112, and one count). Rows
 * removed since (erasure, deletion) are not in the past days' totals.
 */
@ApplicationScoped
class SubscriptionSeries implements DashboardSeries {

    private final EntityManager em;

    SubscriptionSeries(EntityManager em) {
        this.em = em;
    }

    @Override
    @Transactional
    public List<Series> series(LocalDate first, LocalDate last) {
        List<Long> added = DashboardSeries.countPerDay(em, first, last, """
                select date(subscribed_at), count(*) from subscription
                where subscribed_at >= :from and subscribed_at < :to group by date(subscribed_at)""");
        // only subscriptions that are still unsubscribed are counted as a day's loss; one renewed since is running
        List<Long> left = DashboardSeries.countPerDay(em, first, last, """
                select date(unsubscribed_at), count(*) from subscription
                where unsubscribed_at >= :from and unsubscribed_at < :to and status = 'unsubscribed'
                group by date(unsubscribed_at)""");
        long running = ((Number) em.createNativeQuery(
                "select count(*) from subscription where status <> 'unsubscribed'").getSingleResult()).longValue();
        List<Long> totals = new ArrayList<>(added.size());
        for (int i = added.size() - 1; i >= 0; i--) {
            totals.add(0, running);
            running = Math.max(0, running - added.get(i) + left.get(i));
        }
        return List.of(new Series(50, "Unsubscribes", left),
                new Series(60, "List growth: running subscriptions at the end of each day", totals, true));
    }
}
