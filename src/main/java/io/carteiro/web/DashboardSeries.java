package io.carteiro.web;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A feature's day-by-day counts for the dashboard's charts (issue 15.9). As with {@link DashboardTotals}, each feature
 * counts in its own tables with one grouped query, so the shared page reads no feature's table.
 */
public interface DashboardSeries {

    /**
     * One chart: its place among the others (lower first), its title, one count per day from first to last, and
     * whether the counts are a quantity at the end of each day (a total) rather than the day's events.
     */
    record Series(int order, String title, List<Long> perDay, boolean levels) {
        public Series(int order, String title, List<Long> perDay) {
            this(order, title, perDay, false);
        }
    }

    /** This feature's series over the UTC days {@code first} to {@code last}, both included. */
    List<Series> series(LocalDate first, LocalDate last);

    /**
     * One count per day from {@code first} to {@code last}, from a native {@code select date(x), count(*) ... where x
     * >= :from and x < :to ... group by date(x)}: binds the window (the UTC days, both included) and runs it.
     */
    static List<Long> countPerDay(jakarta.persistence.EntityManager em, LocalDate first, LocalDate last, String sql) {
        return perDay(first, last, em.createNativeQuery(sql)
                .setParameter("from", java.sql.Timestamp.from(first.atStartOfDay().toInstant(java.time.ZoneOffset.UTC)))
                .setParameter("to", java.sql.Timestamp.from(
                        last.plusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC)))
                .getResultList());
    }

    /**
     * One count per day from {@code first} to {@code last}, zero for days without a row, from the rows of a native
     * {@code select date(x), count(*) ... group by date(x)} (the driver returns the day as a java.sql.Date or a
     * LocalDate).
     */
    static List<Long> perDay(LocalDate first, LocalDate last, List<?> rows) {
        Map<LocalDate, Long> counts = new LinkedHashMap<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            counts.put(d, 0L);
        }
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            LocalDate day = r[0] instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) r[0];
            counts.computeIfPresent(day, (k, v) -> v + ((Number) r[1]).longValue());
        }
        return new ArrayList<>(counts.values());
    }
}
