package io.carteiro.deliverability;

import io.carteiro.delivery.mtasts.OwnTlsFailures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What the reports page shows: the last 30 days of DMARC reports summed per reporting organisation and per source
 * address, the alerts ({@link DmarcAlerts}), the TLS reports beside Carteiro's own TLS failures, and the refused
 * reports.
 */
@ApplicationScoped
class ReportViews {

    static final Duration WINDOW = DmarcAlerts.WINDOW;

    /** The page's content. */
    record View(List<ReportStore.Volume> byOrg, List<ReportStore.Volume> bySource, List<DmarcAlerts.Alert> alerts,
                List<ReportStore.DmarcSummary> latest, List<ReportStore.TlsSummary> tls,
                List<ReportStore.TlsFailure> tlsFailures, List<OwnTlsFailures.Summary> ownTlsFailures,
                List<ReportStore.Refusal> refused) {
    }

    private final ReportStore store;
    private final OwnTlsFailures own;
    private final DmarcAlerts alerts;
    private final Clock clock;

    ReportViews(ReportStore store, OwnTlsFailures own, DmarcAlerts alerts, Clock clock) {
        this.store = store;
        this.own = own;
        this.alerts = alerts;
        this.clock = clock;
    }

    @Transactional
    View view() {
        Instant since = clock.instant().minus(WINDOW);
        List<ReportStore.Volume> byOrg = store.dmarcVolumes(false, since, 50);
        List<ReportStore.Volume> bySource = store.dmarcVolumes(true, since, 200);
        List<ReportStore.TlsSummary> tls = store.tlsPage(0, 20);
        return new View(byOrg, bySource, alerts.current(), store.dmarcPage(0, 20), tls,
                store.tlsFailures(tls.stream().map(ReportStore.TlsSummary::id).toList()),
                own.since(LocalDate.ofInstant(since, ZoneOffset.UTC), 50), store.refusals(20));
    }
}
