package io.carteiro.delivery;

import io.carteiro.web.DashboardSeries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
        Timestamp from = Timestamp.from(first.atStartOfDay().toInstant(ZoneOffset.UTC));
        Timestamp to = Timestamp.from(last.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        List<?> queued = em.createNativeQuery("""
                        select date(created_at), count(*) from outbound_message
                        where created_at >= :from and created_at < :to group by date(created_at)""")
                .setParameter("from", from).setParameter("to", to).getResultList();
        List<?> delivered = em.createNativeQuery("""
                        select date(sent_at), count(*) from outbound_message
                        where sent_at >= :from and sent_at < :to and state = 'sent' group by date(sent_at)""")
                .setParameter("from", from).setParameter("to", to).getResultList();
        return List.of(new Series(10, "Messages queued to send", DashboardSeries.perDay(first, last, queued)),
                new Series(20, "Messages delivered", DashboardSeries.perDay(first, last, delivered)));
    }
}
