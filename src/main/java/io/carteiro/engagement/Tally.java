package io.carteiro.engagement;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one settle batch adds to the counters, built from the judged hits in time order and the recipients' states
 * before them: totals per campaign, per link, per domain and per hour, unique people per campaign and per link, and
 * each tracked subscription's last human engagement. Pure; {@link Counters} writes it. Keys are sorted, so every
 * writer locks counter rows in the same order.
 */
final class Tally {

    /** Additions to one campaign's totals. */
    static final class CampaignDelta {
        long humanClicks;
        long machineClicks;
        long uniqueHumanClicks;
        long humanOpens;
        long machineOpens;
        long uniqueHumanOpens;
    }

    /** Additions to one link's counters. */
    static final class LinkDelta {
        long human;
        long machine;
        long uniqueHuman;
    }

    /** Additions to one domain's or one hour's engagement counters. */
    static final class EngagementDelta {
        long humanClicks;
        long machineClicks;
        long humanOpens;
        long machineOpens;
    }

    /** The latest human click and open of one subscription in this batch. */
    static final class HumanSeen {
        Instant lastClick;
        Instant lastOpen;

        Instant last() {
            return lastClick == null ? lastOpen : lastOpen == null || lastClick.isAfter(lastOpen) ? lastClick
                    : lastOpen;
        }
    }

    record LinkKey(long campaignId, int linkNo) implements Comparable<LinkKey> {
        @Override
        public int compareTo(LinkKey o) {
            int c = Long.compare(campaignId, o.campaignId);
            return c != 0 ? c : Integer.compare(linkNo, o.linkNo);
        }
    }

    record DomainKey(long campaignId, String domain) implements Comparable<DomainKey> {
        @Override
        public int compareTo(DomainKey o) {
            int c = Long.compare(campaignId, o.campaignId);
            return c != 0 ? c : domain.compareTo(o.domain);
        }
    }

    record HourKey(long campaignId, Instant hour) implements Comparable<HourKey> {
        @Override
        public int compareTo(HourKey o) {
            int c = Long.compare(campaignId, o.campaignId);
            return c != 0 ? c : hour.compareTo(o.hour);
        }
    }

    record SubscriptionKey(long listId, long subscriberId) implements Comparable<SubscriptionKey> {
        @Override
        public int compareTo(SubscriptionKey o) {
            int c = Long.compare(listId, o.listId);
            return c != 0 ? c : Long.compare(subscriberId, o.subscriberId);
        }
    }

    final Map<Long, CampaignDelta> campaigns = new TreeMap<>();
    final Map<LinkKey, LinkDelta> links = new TreeMap<>();
    final Map<DomainKey, EngagementDelta> domains = new TreeMap<>();
    final Map<HourKey, EngagementDelta> hours = new TreeMap<>();
    final Map<SubscriptionKey, HumanSeen> subscriptions = new TreeMap<>();

    /** Counts one judged hit against its recipient's state (which it updates). */
    void add(RecipientState recipient, long listId, int kind, int linkNo, String domain, Instant at,
             Verdict verdict) {
        long campaign = recipient.key.campaignId();
        CampaignDelta c = campaigns.computeIfAbsent(campaign, k -> new CampaignDelta());
        EngagementDelta d = domains.computeIfAbsent(new DomainKey(campaign, domain), k -> new EngagementDelta());
        EngagementDelta h = hours.computeIfAbsent(new HourKey(campaign, at.truncatedTo(ChronoUnit.HOURS)),
                k -> new EngagementDelta());
        boolean click = kind == HitClassifier.CLICK;
        if (!verdict.human()) {
            if (click) {
                c.machineClicks++;
                d.machineClicks++;
                h.machineClicks++;
                recipient.machineClicks++;
                if (linkNo > 0) {
                    links.computeIfAbsent(new LinkKey(campaign, linkNo), k -> new LinkDelta()).machine++;
                }
            } else {
                c.machineOpens++;
                d.machineOpens++;
                h.machineOpens++;
                recipient.machineOpens++;
            }
            return;
        }
        if (!recipient.openedByPerson()) {
            c.uniqueHumanOpens++;
        }
        if (recipient.firstHumanAt == null || at.isBefore(recipient.firstHumanAt)) {
            recipient.firstHumanAt = at;
        }
        HumanSeen seen = recipient.key.anonymous() ? null
                : subscriptions.computeIfAbsent(new SubscriptionKey(listId, recipient.key.key()), k -> new HumanSeen());
        if (click) {
            if (recipient.humanClicks == 0) {
                c.uniqueHumanClicks++;
            }
            c.humanClicks++;
            d.humanClicks++;
            h.humanClicks++;
            recipient.humanClicks++;
            LinkDelta l = links.computeIfAbsent(new LinkKey(campaign, linkNo), k -> new LinkDelta());
            l.human++;
            if (linkNo <= RecipientState.MAX_LINK && !recipient.clickedByPerson(linkNo)) {
                recipient.markClicked(linkNo);
                l.uniqueHuman++;
            }
            if (seen != null && (seen.lastClick == null || at.isAfter(seen.lastClick))) {
                seen.lastClick = at;
            }
        } else {
            c.humanOpens++;
            d.humanOpens++;
            h.humanOpens++;
            recipient.humanOpens++;
            if (seen != null && (seen.lastOpen == null || at.isAfter(seen.lastOpen))) {
                seen.lastOpen = at;
            }
        }
    }
}
