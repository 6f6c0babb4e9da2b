package io.carteiro.web;

import java.util.List;

/**
 * A feature's totals on the admin landing page. The features implement it, each counting in its own tables, so the
 * shared page knows no feature and reads no feature's table.
 */
public interface DashboardTotals {

    /** One line of the page: its place among the others (lower first), the page it links to, and its text. */
    record Line(int order, String href, String text) {
    }

    /** This feature's lines, counted now. */
    List<Line> lines();
}
