package io.carteiro.deliverability;

import io.carteiro.delivery.mtasts.OwnTlsFailures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the reports page shows: the last 30 days of DMARC reports summed per reporting organisation and per source
 * address, the alerts (a source outside this installation sending as the domain and failing DMARC; aligned passes
 * falling below most of the mail), the TLS reports beside Carteiro's own TLS failures, and the refused reports.
 */
@ApplicationScoped
class ReportViews {

    static final Duration WINDOW = Duration.ofDays(30);

    /** One alert. */
    record Alert(String kind, String message) {
    }

    /** The page's content. */
    record View(List<ReportStore.Volume> byOrg, List<ReportStore.Volume> bySource, List<Alert> alerts,
                List<ReportStore.DmarcSummary> latest, List<ReportStore.TlsSummary> tls,
                List<ReportStore.TlsFailure> tlsFailures, List<OwnTlsFailures.Summary> ownTlsFailures,
                List<ReportStore.Refusal> refused) {
    }

    private final ReportStore store;
    private final OwnTlsFailures own;
    private final SendingSetups setups;
    private final DomainChecks checks;
    private final Clock clock;

    ReportViews(ReportStore store, OwnTlsFailures own, SendingSetups setups, DomainChecks checks, Clock clock) {
        this.store = store;
        this.own = own;
        this.setups = setups;
        this.checks = checks;
        this.clock = clock;
    }

    @Transactional
    View view() {
        Instant since = clock.instant().minus(WINDOW);
        List<ReportStore.Volume> byOrg = store.dmarcVolumes(false, since, 50);
        List<ReportStore.Volume> bySource = store.dmarcVolumes(true, since, 200);
        List<ReportStore.TlsSummary> tls = store.tlsPage(0, 20);
        return new View(byOrg, bySource, alerts(bySource, checks.sendingAddresses()), store.dmarcPage(0, 20), tls,
                store.tlsFailures(tls.stream().map(ReportStore.TlsSummary::id).toList()),
                own.since(LocalDate.ofInstant(since, ZoneOffset.UTC), 50), store.refusals(20));
    }

    /** Unknown sources failing DMARC as the domain, and an aligned-pass share below 90% overall. */
    static List<Alert> alerts(List<ReportStore.Volume> bySource, Set<InetAddress> ours) {
        Set<String> known = ours.stream().map(InetAddress::getHostAddress).collect(Collectors.toSet());
        List<Alert> out = new ArrayList<>();
        long total = 0;
        long aligned = 0;
        for (ReportStore.Volume v : bySource) {
            total += v.messages();
            aligned += v.alignedPass();
            boolean ourSource = known.contains(normal(v.key()));
            if (!ourSource && v.alignedPass() * 2 < v.messages()) {
                out.add(new Alert("unknown-source", v.key() + " sent " + v.messages() + " messages as your domain and "
                        + "failed DMARC on " + (v.messages() - v.alignedPass()) + " of them: not an address of this "
                        + "installation. If it is a service you use, publish its SPF and DKIM; if not, someone is "
                        + "spoofing the domain (a policy of p=quarantine or p=reject stops it)."));
            }
        }
        if (total > 0 && aligned * 10 < total * 9) {
            out.add(new Alert("aligned-pass", "Only " + ReputationBrakes.percent(aligned, total) + " of the " + total
                    + " messages reported in the last 30 days passed DMARC with an aligned identifier."));
        }
        return out;
    }

    private static String normal(String ip) {
        InetAddress a = SpfRecord.literal(ip, ip.contains(":"));
        return a == null ? ip : a.getHostAddress();
    }
}
