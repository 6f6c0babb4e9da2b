package io.carteiro.bounces;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the list-cleaning rules to the bounces one transaction has just recorded, set-based: a hard bounce marks
 * its subscriber bounced; soft bounces mark them bounced once they come from enough distinct campaigns within the
 * window with no delivery since; a complaint unsubscribes and suppresses; policy blocks and delay warnings change
 * nothing. Returns what each bounce did, for its {@code action} column.
 */
@ApplicationScoped
class BounceEffects {

    static final String NONE = "none";
    static final String COUNTED = "counted";
    static final String BOUNCED = "bounced";
    static final String COMPLAINED = "complained";

    private final ListCleaner cleaner;
    private final RuleSettingsStore settings;
    private final BouncedMessageLookup messages;
    private final BounceLedger ledger;

    BounceEffects(ListCleaner cleaner, RuleSettingsStore settings, BouncedMessageLookup messages, BounceLedger ledger) {
        this.cleaner = cleaner;
        this.settings = settings;
        this.messages = messages;
        this.ledger = ledger;
    }

    Map<Long, String> apply(List<BounceLedger.Recorded> recorded, Instant now) {
        RuleSettings rules = settings.current();
        Map<Long, String> actions = new LinkedHashMap<>();
        Map<Long, ListCleaner.Cause> toMark = new LinkedHashMap<>();
        Map<Long, BounceLedger.Recorded> softBySubscriber = new LinkedHashMap<>();
        for (BounceLedger.Recorded r : recorded) {
            long subscriber = r.bounce().message().subscriberId();
            actions.put(r.id(), NONE);
            switch (r.bounce().kind()) {
                case HARD -> {
                    if (rules.hardBounceMarksBounced()) {
                        toMark.putIfAbsent(subscriber, new ListCleaner.Cause(r.id(), why(r)));
                    }
                }
                case SOFT -> {
                    actions.put(r.id(), COUNTED);
                    softBySubscriber.put(subscriber, r);
                }
                case COMPLAINT -> {
                    if (rules.complaintUnsubscribes() && cleaner.complain(subscriber, r.id(), why(r), now)) {
                        actions.put(r.id(), COMPLAINED);
                    }
                }
                default -> {
                    // blocked (the sender's problem) and delayed (a warning) are kept in the log only
                }
            }
        }
        softBySubscriber.keySet().removeAll(toMark.keySet());
        countSoftBounces(softBySubscriber, rules, now).forEach(toMark::putIfAbsent);
        for (Long subscriber : cleaner.markBounced(toMark, now)) {
            actions.put(toMark.get(subscriber).bounceId(), BOUNCED);
        }
        return actions;
    }

    /**
     * The subscribers whose soft bounces, counting the new one, come from at least the threshold's number of distinct
     * campaigns within the window and since the last message they received.
     */
    private Map<Long, ListCleaner.Cause> countSoftBounces(Map<Long, BounceLedger.Recorded> latest, RuleSettings rules,
                                                          Instant now) {
        if (latest.isEmpty()) {
            return Map.of();
        }
        Map<Long, Instant> delivered = messages.lastDeliveredAt(latest.keySet());
        Map<Long, Set<Long>> campaigns = new HashMap<>();
        for (BounceLedger.SoftBounce s : ledger.softBounces(latest.keySet(),
                now.minus(rules.softBounceWindowDays(), ChronoUnit.DAYS))) {
            Instant since = delivered.get(s.subscriberId());
            if (s.campaignId() != null && (since == null || !s.receivedAt().isBefore(since))) {
                campaigns.computeIfAbsent(s.subscriberId(), k -> new HashSet<>()).add(s.campaignId());
            }
        }
        Map<Long, ListCleaner.Cause> reached = new LinkedHashMap<>();
        latest.forEach((subscriber, r) -> {
            int count = campaigns.getOrDefault(subscriber, Set.of()).size();
            if (count >= rules.softBounceThreshold()) {
                reached.put(subscriber, new ListCleaner.Cause(r.id(), why(r) + ", " + count
                        + " soft bounces on distinct campaigns within " + rules.softBounceWindowDays() + " days"));
            }
        });
        return reached;
    }

    private static String why(BounceLedger.Recorded r) {
        String status = r.bounce().enhancedStatus();
        return r.bounce().kind().code() + " bounce #" + r.id() + (status == null ? "" : " (" + status + ")");
    }
}
