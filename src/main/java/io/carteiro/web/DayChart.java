package io.carteiro.web;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart of one count per day, laid out for the shared {@code tags/dayChart} SVG: the drawing has a fixed
 * coordinate system (viewBox) and the page's CSS scales it to the width it gets, so it fits a phone as well as a
 * laptop (issue 15.12; the bounce chart was a fixed 620 px).
 */
public record DayChart(String id, String title, String summary, long max, String firstDay, String lastDay,
                       List<Bar> bars) {

    /** Width and height of the drawing area in the viewBox; labels sit below it. */
    static final int WIDTH = 300;
    static final int HEIGHT = 60;

    /** One day's bar: its day, count and rectangle. */
    public record Bar(String day, long count, double x, double width, int y, int height) {
    }

    /** The chart of the day's events {@code counts}, the first of which is the count of {@code first}. */
    public static DayChart of(String id, String title, LocalDate first, List<Long> counts) {
        return of(id, title, first, counts, false);
    }

    /**
     * The chart of {@code counts}, the first of which is the count of {@code first}: events of each day, or, with
     * {@code levels}, a quantity at the end of each day (its summary then says where it went from and to).
     */
    public static DayChart of(String id, String title, LocalDate first, List<Long> counts, boolean levels) {
        long max = counts.stream().mapToLong(Long::longValue).max().orElse(0);
        long scale = Math.max(1, max);
        long total = counts.stream().mapToLong(Long::longValue).sum();
        String summary = levels
                ? (counts.isEmpty() ? "none" : "from " + counts.get(0) + " to " + counts.get(counts.size() - 1))
                : total + " in all" + (total == 0 ? "" : ", at most " + max + " a day");  // "1 in all" needs no noun
        double step = counts.isEmpty() ? WIDTH : (double) WIDTH / counts.size();
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            long count = counts.get(i);
            int height = (int) Math.round((double) HEIGHT * count / scale);
            if (count > 0 && height == 0) {
                height = 1;  // a day with some is never drawn as a day with none
            }
            bars.add(new Bar(first.plusDays(i).toString(), count, round(i * step + step * 0.1), round(step * 0.8),
                    4 + HEIGHT - height, height));
        }
        LocalDate last = first.plusDays(Math.max(0, counts.size() - 1));
        return new DayChart(id, title, summary, max, first.toString(), last.toString(), bars);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
