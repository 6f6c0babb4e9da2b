package io.carteiro.lists;

import io.carteiro.web.DashboardTotals;
import io.carteiro.web.Words;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The dashboard's count of lists. */
@ApplicationScoped
class ListTotals implements DashboardTotals {

    private final ListService lists;

    ListTotals(ListService lists) {
        this.lists = lists;
    }

    @Override
    public List<Line> lines() {
        return List.of(new Line(10, "/admin/lists", Words.count(lists.count(), "list", "lists")));
    }
}
