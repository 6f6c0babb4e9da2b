package io.carteiro.deliverability;

import io.carteiro.web.DashboardTotals;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The dashboard's line for the DMARC alerts, shown only when the reports raise one. */
@ApplicationScoped
class DmarcAlertTotals implements DashboardTotals {

    private final DmarcAlerts alerts;

    DmarcAlertTotals(DmarcAlerts alerts) {
        this.alerts = alerts;
    }

    @Override
    public List<Line> lines() {
        List<DmarcAlerts.Alert> current = alerts.current();
        if (current.isEmpty()) {
            return List.of();
        }
        String domains = String.join(", ", current.stream().map(DmarcAlerts.Alert::domain).distinct().limit(5)
                .toList());
        return List.of(new Line(45, "/admin/deliverability/reports", "⚠ " + current.size() + " DMARC alert"
                + (current.size() == 1 ? "" : "s") + " (" + domains + "): read the reports"));
    }
}
