package io.carteiro.engagement;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Judges hits once every hit that could change their verdict has arrived ({@code settle-after}), and in the same
 * transaction moves them to {@code engagement_hit}, updates each recipient's state and adds to the report's
 * counters. One instance settles at a time (a row lock taken with SKIP LOCKED; the others skip that round), so
 * unique counts are exact without coordination; a crash rolls the whole batch back and the next round redoes it.
 */
@ApplicationScoped
class Settler {

    private static final Logger LOG = Logger.getLogger(Settler.class);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    HitStore hits;

    @Inject
    Counters counters;

    @Inject
    EngagementConfig config;

    @Inject
    Clock clock;

    private HitClassifier classifier;
    private ScheduledExecutorService loop;
    private volatile Instant nextPrune = Instant.EPOCH;

    void start(@Observes StartupEvent event) {
        classifier = HitClassifier.of(config.machine());
        if (config.settleAfter().compareTo(classifier.reach()) <= 0) {
            throw new IllegalStateException("carteiro.engagement.settle-after (" + config.settleAfter()
                    + ") must be longer than the longest machine window (" + classifier.reach() + ")");
        }
        if (!config.settlerEnabled()) {
            return;
        }
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "engagement-settler");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::round, config.settleEvery().toMillis(), config.settleEvery().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.shutdownNow();
        }
    }

    private void round() {
        try {
            while (settle(clock.instant().minus(config.settleAfter())) == config.settleBatch()) {
                // a full batch: more may be due
            }
            Instant now = clock.instant();
            if (now.isAfter(nextPrune)) {
                nextPrune = now.plus(PRUNE_EVERY);
                prune(now.minus(config.hitRetention()));
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "settling tracking hits failed; the next round tries again");
        }
    }

    /**
     * Settles one batch of the hits that arrived at or before {@code cutoff}; returns how many (0 also when another
     * instance holds the lock). A deadlock or a lost Galera certification rolls the batch back; the next round
     * settles it again.
     */
    int settle(Instant cutoff) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return settle(c, cutoff);
            }
        });
    }

    private int settle(Connection c, Instant cutoff) throws SQLException {
        if (!hits.lockForSettling(c)) {
            return 0;
        }
        List<PendingHit> due = hits.due(c, cutoff, config.settleBatch());
        if (due.isEmpty()) {
            return 0;
        }
        Set<RecipientKey> recipients = new LinkedHashSet<>();
        Set<Long> campaigns = new HashSet<>();
        Instant earliest = due.get(0).at();
        for (PendingHit h : due) {
            recipients.add(h.recipient());
            campaigns.add(h.campaignId());
        }
        Set<Long> judged = new HashSet<>();
        due.forEach(h -> judged.add(h.id()));
        Map<RecipientKey, List<HitClassifier.Observed>> around = new HashMap<>();
        for (PendingHit p : hits.pendingOf(c, recipients)) {
            around.computeIfAbsent(p.recipient(), k -> new ArrayList<>()).add(new HitClassifier.Observed(p.id(),
                    p.kind(), p.linkNo(), p.at(), p.sentAt(), p.signals(), judged.contains(p.id())));
        }
        Map<HitClassifier.Observed, RecipientKey> owners = new HashMap<>();
        for (HitClassifier.Observed o : hits.judgedOf(c, recipients, earliest.minus(classifier.reach()), owners)) {
            around.computeIfAbsent(owners.get(o), k -> new ArrayList<>()).add(o);
        }
        Map<Long, Integer> links = hits.linkCounts(c, campaigns);
        Map<Long, Verdict> verdicts = new HashMap<>();
        around.forEach((recipient, group) -> verdicts.putAll(
                classifier.classify(group, links.getOrDefault(recipient.campaignId(), 0))));

        Map<RecipientKey, RecipientState> states = hits.recipients(c, recipients);
        Tally tally = new Tally();
        List<PendingHit> ordered = new ArrayList<>(due);
        ordered.sort(Comparator.comparing(PendingHit::at).thenComparingLong(PendingHit::id));
        for (PendingHit h : ordered) {
            tally.add(states.get(h.recipient()), h.listId(), h.kind(), h.linkNo(), h.domain(), h.at(),
                    verdicts.get(h.id()));
        }
        hits.settle(c, due, verdicts);
        hits.saveRecipients(c, states.values());
        counters.add(c, tally);
        hits.markSettled(c, clock.instant());
        return due.size();
    }

    private void prune(Instant before) {
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    return hits.prune(c, before, 10_000);
                }
            });
        } while (deleted == 10_000);
    }
}
