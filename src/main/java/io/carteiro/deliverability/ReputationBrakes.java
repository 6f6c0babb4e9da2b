package io.carteiro.deliverability;

import io.carteiro.bounces.ComplaintCounts;
import io.carteiro.campaigns.CampaignFacts;
import io.carteiro.delivery.AttemptFeed;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The reputation brakes: a clustered job reads the delivery attempts logged since its last look (by id, up to the
 * highest id seen one look earlier, so attempts still committing then are not skipped), counts them per campaign and
 * provider under row locks, and pauses a running campaign — with the reason on its page — when its first messages
 * bounce hard beyond the set share, when complaints exceed the set share of what it delivered, or when one provider
 * refuses most of its recent attempts. Counting, pausing and moving the cursor commit together.
 */
@ApplicationScoped
public class ReputationBrakes {

    private static final Logger LOG = Logger.getLogger(ReputationBrakes.class);
    static final int BATCH = 20_000;

    private final AttemptFeed feed;
    private final ReputationLedger ledger;
    private final BrakeSettingsStore settings;
    private final CampaignFacts campaigns;
    private final ComplaintCounts complaints;
    private final DeliverabilityConfig config;
    private final Clock clock;

    ReputationBrakes(AttemptFeed feed, ReputationLedger ledger, BrakeSettingsStore settings, CampaignFacts campaigns,
                     ComplaintCounts complaints, DeliverabilityConfig config, Clock clock) {
        this.feed = feed;
        this.ledger = ledger;
        this.settings = settings;
        this.campaigns = campaigns;
        this.complaints = complaints;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(identity = "reputation-brakes", every = "${carteiro.deliverability.brakes.check-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void tick() {
        try {
            int read;
            do {
                read = QuarkusTransaction.requiringNew().call(this::step);
            } while (read == BATCH);
        } catch (RuntimeException e) {
            LOG.warnf("reputation brakes: the delivery log could not be read this time (%s)", e.getMessage());
        }
    }

    /** One look: counts the next attempts, applies the brakes; returns how many attempts it read. */
    int step() {
        Instant now = clock.instant();
        BrakeSettings s = settings.current();
        ReputationLedger.Cursor cursor = ledger.lockCursor(feed.lastId(), now);
        List<AttemptFeed.Attempt> attempts = feed.between(cursor.lastId(), cursor.highWater(), BATCH);
        long newHigh = feed.lastId();
        long last = attempts.size() == BATCH ? attempts.get(attempts.size() - 1).id() : cursor.highWater();
        ledger.moveCursor(last, attempts.size() == BATCH ? cursor.highWater() : newHigh, now);
        Set<Long> touched = new LinkedHashSet<>();
        for (AttemptFeed.Attempt a : attempts) {
            if (a.campaignId() != null) {
                touched.add(a.campaignId());
            }
        }
        Map<Long, ReputationLedger.Counts> counts = ledger.lockCounts(touched);
        Map<String, ReputationLedger.Window> windows = ledger.windows(touched);
        Map<String, Long> delivered = new HashMap<>();
        Duration window = config.brakes().providerWindow();
        for (AttemptFeed.Attempt a : attempts) {
            if ("delivered".equals(a.outcome())) {
                String day = LocalDate.ofInstant(a.at(), ZoneOffset.UTC) + "|" + domainOf(a.sender());
                delivered.merge(day, 1L, Long::sum);
            }
            if (a.campaignId() == null) {
                continue;
            }
            ReputationLedger.Counts c = counts.get(a.campaignId());
            boolean finalOutcome = switch (a.outcome()) {
                case "delivered", "bounced", "blocked", "expired" -> true;
                default -> false;
            };
            if (finalOutcome && c.firstFinals < s.firstMessages()) {
                c.firstFinals++;
                if ("bounced".equals(a.outcome())) {
                    c.firstHard++;
                }
            }
            if ("delivered".equals(a.outcome())) {
                c.delivered++;
            }
            if (a.exchanger() != null && !a.exchanger().isBlank()) {
                String provider = OrganizationalDomain.of(a.exchanger());
                ReputationLedger.Window w = windows.computeIfAbsent(ReputationLedger.key(a.campaignId(), provider),
                        k -> new ReputationLedger.Window(a.campaignId(), provider, a.at()));
                roll(w, a.at(), window);
                w.attempts++;
                if (refusal(a)) {
                    w.refusals++;
                    w.lastRefusal = Texts.shorten((a.code() == null ? "" : a.code() + " ")
                            + (a.enhancedStatus() == null ? "" : a.enhancedStatus()), 300).strip();
                }
            }
        }
        ledger.addDelivered(delivered);
        if (s.enabled()) {
            for (ReputationLedger.Counts c : counts.values()) {
                bounceBrake(c, s, now);
                providerBrake(c, windows, s, now);
            }
            complaintBrake(s, now, counts);
        }
        ledger.save(counts.values(), now);
        ledger.saveWindows(windows.values());
        return attempts.size();
    }

    /** A 421 (service not available, the usual rate limit), any 4.7.x or 5.7.x, or a blocked outcome. */
    static boolean refusal(AttemptFeed.Attempt a) {
        String status = a.enhancedStatus() == null ? "" : a.enhancedStatus();
        return "blocked".equals(a.outcome()) || a.code() != null && a.code() == 421 || status.startsWith("4.7.")
                || status.startsWith("5.7.");
    }

    /** Starts a new window when the current one is over (what it held becomes the previous window). */
    private static void roll(ReputationLedger.Window w, Instant at, Duration length) {
        if (at.isBefore(w.start.plus(length))) {
            return;
        }
        boolean adjacent = at.isBefore(w.start.plus(length.multipliedBy(2)));
        w.previousAttempts = adjacent ? w.attempts : 0;
        w.previousRefusals = adjacent ? w.refusals : 0;
        w.attempts = 0;
        w.refusals = 0;
        w.start = at;
    }

    private void bounceBrake(ReputationLedger.Counts c, BrakeSettings s, Instant now) {
        if (c.bounceBrakeAt != null || c.firstFinals < s.minMessages()
                || !over(c.firstHard, c.firstFinals, s.hardBouncePercent())) {
            return;
        }
        String reason = "Paused by itself: " + c.firstHard + " of its first " + c.firstFinals
                + " messages bounced hard (" + percent(c.firstHard, c.firstFinals) + ", over the "
                + plain(s.hardBouncePercent()) + "% set in the deliverability settings). A list this stale hurts the "
                + "sending domain's reputation: clean it (or confirm it again), then resume.";
        if (campaigns.pauseItself(c.campaignId, reason)) {
            c.bounceBrakeAt = now;
        }
    }

    private void providerBrake(ReputationLedger.Counts c, Map<String, ReputationLedger.Window> windows,
                               BrakeSettings s, Instant now) {
        if (c.providerBrakeAt != null) {
            return;
        }
        for (ReputationLedger.Window w : windows.values()) {
            if (w.campaignId != c.campaignId) {
                continue;
            }
            int attempts = w.attempts + w.previousAttempts;
            int refusals = w.refusals + w.previousRefusals;
            if (attempts >= s.providerMinAttempts() && over(refusals, attempts, s.providerRefusalPercent())) {
                String reason = "Paused by itself: " + w.provider + " refused " + refusals + " of the last " + attempts
                        + " attempts (" + percent(refusals, attempts) + ", over the " + plain(s.providerRefusalPercent())
                        + "% set in the deliverability settings; last reply " + w.lastRefusal + "). The provider is "
                        + "limiting this sender: look at the domain's reputation and the reports, then resume.";
                if (campaigns.pauseItself(c.campaignId, reason)) {
                    c.providerBrakeAt = now;
                }
                return;
            }
        }
    }

    private void complaintBrake(BrakeSettings s, Instant now, Map<Long, ReputationLedger.Counts> touched) {
        List<CampaignFacts.Running> running = campaigns.running();
        if (running.isEmpty()) {
            return;
        }
        Map<Long, ReputationLedger.Counts> all = new HashMap<>(touched);
        List<Long> others = running.stream().map(CampaignFacts.Running::id).filter(id -> !all.containsKey(id)).toList();
        all.putAll(ledger.lockCounts(others));
        Map<Long, Long> complained = complaints.byCampaign(running.stream().map(CampaignFacts.Running::id).toList());
        for (CampaignFacts.Running r : running) {
            ReputationLedger.Counts c = all.get(r.id());
            long n = complained.getOrDefault(r.id(), 0L);
            if (c.complaintBrakeAt != null || c.delivered < s.minDelivered() || !over(n, c.delivered,
                    s.complaintPercent())) {
                continue;
            }
            String reason = "Paused by itself: " + n + " complaints for " + c.delivered + " delivered messages ("
                    + percent(n, c.delivered) + ", over the " + plain(s.complaintPercent()) + "% set in the "
                    + "deliverability settings; Gmail and Yahoo act at 0.3%). Make the unsubscribe link plain and "
                    + "mail only people who asked, then resume.";
            if (campaigns.pauseItself(r.id(), reason)) {
                c.complaintBrakeAt = now;
                touched.putIfAbsent(r.id(), c);
            }
        }
        ledger.save(all.values().stream().filter(c -> !touched.containsKey(c.campaignId)).toList(), now);
    }

    static boolean over(long part, long whole, BigDecimal percent) {
        return whole > 0 && BigDecimal.valueOf(part).multiply(BigDecimal.valueOf(100))
                .compareTo(percent.multiply(BigDecimal.valueOf(whole))) > 0;
    }

    static String percent(long part, long whole) {
        return BigDecimal.valueOf(part * 100.0 / whole).setScale(part * 100 / Math.max(1, whole) < 1 ? 2 : 1,
                RoundingMode.HALF_UP).toPlainString() + "%";
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static String domainOf(String sender) {
        return sender == null ? "" : sender.substring(sender.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }
}
