package io.carteiro.engagement;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells a person's click or open from a machine's, from the hit itself and the hits of the same message around it.
 * Pure: the settle step hands it one message's hits (those to judge and those around them, already judged or not)
 * once no hit that could change a verdict can still arrive.
 *
 * <p>The rules, first match wins: what the request said (HEAD; no user agent; a scanner's user agent or address;
 * a prefetch header; for opens, a privacy proxy); the decoy link itself, and any hit within
 * {@code decoyWindow} of a hit on it; a hit within {@code minDelayAfterSend} of sending; a GET within
 * {@code headWindow} after a HEAD of the same link; {@code burstLinks} different links (all of them when the
 * campaign has fewer, but at least two) within {@code burstWindow} of each other. Anything else is a person.
 */
final class HitClassifier {

    static final int CLICK = TrackingToken.Kind.CLICK.code;
    static final int OPEN = TrackingToken.Kind.OPEN.code;

    /** A hit as judged here; {@code judge}: it is one of those to classify now. */
    record Observed(long id, int kind, int linkNo, Instant at, Instant sentAt, int signals, boolean judge) {

        boolean head() {
            return (signals & HitSignals.HEAD) != 0;
        }

        boolean decoy() {
            return kind == CLICK && linkNo == 0;
        }
    }

    private final Duration minDelayAfterSend;
    private final Duration headWindow;
    private final int burstLinks;
    private final Duration burstWindow;
    private final Duration decoyWindow;

    HitClassifier(Duration minDelayAfterSend, Duration headWindow, int burstLinks, Duration burstWindow,
                  Duration decoyWindow) {
        this.minDelayAfterSend = minDelayAfterSend;
        this.headWindow = headWindow;
        this.burstLinks = burstLinks;
        this.burstWindow = burstWindow;
        this.decoyWindow = decoyWindow;
    }

    static HitClassifier of(EngagementConfig.Machine config) {
        return new HitClassifier(config.minDelayAfterSend(), config.headWindow(), config.burstLinks(),
                config.burstWindow(), config.decoyWindow());
    }

    /** The longest a hit can influence another's verdict: what must have arrived before a hit is judged. */
    Duration reach() {
        Duration longest = headWindow;
        for (Duration d : List.of(burstWindow, decoyWindow)) {
            if (d.compareTo(longest) > 0) {
                longest = d;
            }
        }
        return longest;
    }

    /**
     * Verdicts for the hits to judge among {@code hits}, all of one message (one campaign and recipient), whose
     * campaign has {@code campaignLinks} tracked links.
     */
    Map<Long, Verdict> classify(List<Observed> hits, int campaignLinks) {
        Map<Long, Verdict> verdicts = new HashMap<>();
        for (Observed h : hits) {
            if (h.judge()) {
                verdicts.put(h.id(), judge(h, hits, campaignLinks));
            }
        }
        return verdicts;
    }

    private Verdict judge(Observed h, List<Observed> hits, int campaignLinks) {
        int s = h.signals();
        if ((s & HitSignals.HEAD) != 0) {
            return Verdict.machine(Verdict.Reason.HEAD);
        }
        if ((s & HitSignals.NO_AGENT) != 0) {
            return Verdict.machine(Verdict.Reason.NO_AGENT);
        }
        if ((s & HitSignals.SCANNER_AGENT) != 0) {
            return Verdict.machine(Verdict.Reason.SCANNER_AGENT);
        }
        if ((s & HitSignals.SCANNER_ADDRESS) != 0) {
            return Verdict.machine(Verdict.Reason.SCANNER_ADDRESS);
        }
        if ((s & HitSignals.PREFETCH) != 0) {
            return Verdict.machine(Verdict.Reason.PREFETCH);
        }
        if (h.kind() == OPEN && (s & (HitSignals.PROXY_AGENT | HitSignals.PROXY_ADDRESS)) != 0) {
            return Verdict.machine(Verdict.Reason.PRIVACY_PROXY);
        }
        if (h.decoy()) {
            return Verdict.machine(Verdict.Reason.DECOY);
        }
        for (Observed other : hits) {
            if (other.decoy() && within(other.at(), h.at(), decoyWindow)) {
                return Verdict.machine(Verdict.Reason.NEAR_DECOY);
            }
        }
        if (Duration.between(h.sentAt(), h.at()).compareTo(minDelayAfterSend) < 0) {
            return Verdict.machine(Verdict.Reason.TOO_SOON);
        }
        if (h.kind() == CLICK) {
            for (Observed other : hits) {
                if (other.head() && other.kind() == CLICK && other.linkNo() == h.linkNo()
                        && !other.at().isAfter(h.at()) && !other.at().plus(headWindow).isBefore(h.at())) {
                    return Verdict.machine(Verdict.Reason.AFTER_HEAD);
                }
            }
            int needed = Math.max(2, Math.min(burstLinks, campaignLinks));
            if (campaignLinks >= 2) {
                Set<Integer> links = new HashSet<>();
                for (Observed other : hits) {
                    if (other.kind() == CLICK && !other.decoy() && within(other.at(), h.at(), burstWindow)) {
                        links.add(other.linkNo());
                    }
                }
                if (links.size() >= needed) {
                    return Verdict.machine(Verdict.Reason.LINK_BURST);
                }
            }
        }
        return Verdict.PERSON;
    }

    private static boolean within(Instant a, Instant b, Duration window) {
        return Duration.between(a, b).abs().compareTo(window) <= 0;
    }
}
