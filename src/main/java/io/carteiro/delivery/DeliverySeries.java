package io.carteiro.delivery;

import io.carteiro.web.DashboardSeries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.LocalDate;
import java.util.List;

/**
 * The dashboard's charts of the queue: messages queued per day and messages delivered per day (accepted by the
 * receiving server). Two grouped queries over the time indexes of V112.
 */
@ApplicationScoped
class DeliverySeries implements DashboardSeries {

    private final EntityManager em;

    DeliverySeries(EntityManager em) {
        this.em = em;
    }

    @Override
    @Transactional
    public List<Series> series(LocalDate first, LocalDate last) {
        List<Long> queued = DashboardSeries.countPerDay(em, first, last, """
                select date(created_at), count(*) from outbound_message
                where created_at >= :from and created_at < :to group by date(created_at)""");
        List<Long> delivered = DashboardSeries.countPerDay(em, first, last, """
                select date(sent_at), count(*) from outbound_message
                where sent_at >= :from and sent_at < :to and state = 'sent' group by date(sent_at)""");
        return List.of(new Series(10, "Messages queued to send", queued),
                new Series(20, "Messages delivered", delivered));
    }
}
