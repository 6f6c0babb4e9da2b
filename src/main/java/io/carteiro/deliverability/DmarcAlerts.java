package io.carteiro.deliverability;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The alerts the DMARC aggregate reports of the last 30 days raise, per domain that published the policy:
 * <ul>
 *   <li>{@code unknown-source}: an address that is none of ours sent mail as the domain that failed DMARC. Ours are
 *       the engine's sending addresses (the relay's in relay mode) and those the domain's SPF authorises, which the
 *       reports say themselves: a receiver that found an aligned SPF pass for the address. An address whose mail all
 *       passed aligned DKIM is left out: it carries the domain's own signature (a forwarder, a service given a key).
 *   <li>{@code aligned-pass-fall}: the aligned-pass share of the last reports (periods ending in the last
 *       {@value #RECENT_DAYS} days) is {@value #FALL_POINTS} percentage points or more below that of the earlier
 *       reports of the window, each side holding at least {@value #MIN_MESSAGES} messages.
 *   <li>{@code aligned-pass}: under 90 % of the window's messages passed DMARC with an aligned identifier.
 * </ul>
 */
@ApplicationScoped
class DmarcAlerts {

    static final Duration WINDOW = Duration.ofDays(30);
    static final int RECENT_DAYS = 7;
    static final int FALL_POINTS = 10;
    static final int MIN_MESSAGES = 20;
    static final int LOW_PERCENT = 90;

    /** One alert: what kind, about which domain (and source address, for an unknown source), said for people. */
    record Alert(String kind, String domain, String source, String message) {
    }

    private final ReportStore store;
    private final DomainChecks checks;
    private final Clock clock;

    DmarcAlerts(ReportStore store, DomainChecks checks, Clock clock) {
        this.store = store;
        this.checks = checks;
        this.clock = clock;
    }

    /** The alerts of the reports received until now. */
    @Transactional
    List<Alert> current() {
        Instant now = clock.instant();
        Instant since = now.minus(WINDOW);
        Instant recent = now.minus(Duration.ofDays(RECENT_DAYS));
        return alerts(store.dmarcSources(since, 2000), store.dmarcShares(since, recent),
                store.dmarcShares(recent, now.plus(Duration.ofDays(1))), checks.sendingAddresses());
    }

    static List<Alert> alerts(List<ReportStore.SourceVolume> sources, List<ReportStore.DomainShare> earlier,
                              List<ReportStore.DomainShare> recent, Set<InetAddress> ours) {
        Set<String> known = ours.stream().map(InetAddress::getHostAddress).collect(Collectors.toSet());
        List<Alert> out = new ArrayList<>();
        Map<String, long[]> totals = new TreeMap<>();
        for (ReportStore.SourceVolume v : sources) {
            long[] t = totals.computeIfAbsent(v.domain(), d -> new long[2]);
            t[0] += v.messages();
            t[1] += v.alignedPass();
            boolean ourSource = known.contains(normal(v.sourceIp())) || v.spfPass() > 0;
            boolean signedByUs = v.dkimPass() >= v.messages();
            if (!ourSource && !signedByUs && v.alignedPass() < v.messages()) {
                out.add(new Alert("unknown-source", v.domain(), v.sourceIp(), v.sourceIp() + " sent " + v.messages()
                        + " messages as " + v.domain() + " and failed DMARC on " + (v.messages() - v.alignedPass())
                        + " of them: it is not an address of this installation and the domain's SPF does not "
                        + "authorise it. If it is a service you use, add it to the SPF record and give it a DKIM key; "
                        + "if not, someone is spoofing the domain (a DMARC policy of p=quarantine or p=reject stops "
                        + "it)."));
            }
        }
        Map<String, ReportStore.DomainShare> before = new HashMap<>();
        earlier.forEach(s -> before.put(s.domain(), s));
        for (ReportStore.DomainShare now : recent) {
            ReportStore.DomainShare then = before.get(now.domain());
            if (then == null || then.messages() < MIN_MESSAGES || now.messages() < MIN_MESSAGES) {
                continue;
            }
            double recentShare = 100.0 * now.alignedPass() / now.messages();
            double earlierShare = 100.0 * then.alignedPass() / then.messages();
            if (recentShare <= earlierShare - FALL_POINTS) {
                out.add(new Alert("aligned-pass-fall", now.domain(), null, "Aligned DMARC passes of "
                        + now.domain() + " fell to " + ReputationBrakes.percent(now.alignedPass(), now.messages())
                        + " of " + now.messages() + " messages in the reports of the last " + RECENT_DAYS + " days, from "
                        + ReputationBrakes.percent(then.alignedPass(), then.messages()) + " of " + then.messages()
                        + " before: check that the DKIM key is still published and that mail still leaves from the "
                        + "addresses the SPF record names."));
            }
        }
        totals.forEach((domain, t) -> {
            if (t[0] > 0 && t[1] * 100 < t[0] * LOW_PERCENT) {
                out.add(new Alert("aligned-pass", domain, null, "Only " + ReputationBrakes.percent(t[1], t[0])
                        + " of the " + t[0] + " messages sent as " + domain + " in the reports of the last 30 days "
                        + "passed DMARC with an aligned identifier."));
            }
        });
        out.sort(Comparator.comparing(Alert::domain).thenComparing(Alert::kind));
        return List.copyOf(out);
    }

    private static String normal(String ip) {
        InetAddress a = SpfRecord.literal(ip, ip.contains(":"));
        return a == null ? ip : a.getHostAddress();
    }
}
