package io.carteiro.web;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's and the bounce page's day chart: one bar a day, scaled to the highest, labelled for people. */
class DayChartTest {

    static final LocalDate FIRST = LocalDate.of(2026, 11, 3);

    @Test
    void eachDayHasItsBarScaledToTheHighestAndASmallDayIsNeverDrawnAsNone() {
        List<Long> counts = new ArrayList<>(Collections.nCopies(30, 0L));
        counts.set(0, 1L);
        counts.set(29, 1000L);
        DayChart chart = DayChart.of("c", "Sent", FIRST, counts);

        assertEquals(30, chart.bars().size());
        assertEquals("2026-11-03", chart.firstDay());
        assertEquals("2026-12-02", chart.lastDay());
        assertEquals(DayChart.HEIGHT, chart.bars().get(29).height());
        assertEquals(1, chart.bars().get(0).height(), "1 of 1000 still shows");
        assertEquals(0, chart.bars().get(1).height());
        assertEquals("2026-11-04", chart.bars().get(1).day());
        DayChart.Bar last = chart.bars().get(29);
        assertTrue(last.x() + last.width() <= DayChart.WIDTH, "the bars stay inside the drawing");
        assertEquals("1001 in all, at most 1000 a day", chart.summary());
    }

    @Test
    void anEmptyMonthSaysSoAndALevelSaysWhereItWentFromAndTo() {
        assertEquals("0 in all", DayChart.of("c", "Complaints", FIRST, Collections.nCopies(30, 0L)).summary());
        assertEquals("from 3 to 5", DayChart.of("c", "Growth", FIRST, List.of(3L, 4L, 5L), true).summary());
    }

    @Test
    void wordsAreCountedInTheRightNumber() {
        assertEquals("1 list", Words.count(1, "list", "lists"));
        assertEquals("0 lists", Words.count(0, "list", "lists"));
        assertEquals("2 entries", Words.count(2, "entry", "entries"));
    }
}
