package io.carteiro.engagement;

import java.time.Instant;
import java.util.List;

/**
 * One campaign's report, as the API answers it and the page shows it: delivery, bounces, complaints, unsubscribes,
 * person and machine clicks and opens, per link, per recipient domain, the first 48 hours by hour, and the previous
 * campaigns' headline figures. Every figure comes from counters kept as the events happen, never from the hits.
 */
public record CampaignReport(long campaignId, String name, String status, Instant startedAt, long delivered,
                             long deferred, long bounced, long hardBounces, long softBounces, long blocked,
                             long failed, long complaints, long unsubscribed, Clicks clicks, Opens opens,
                             Double clickToOpen, List<Link> links, List<Domain> domains, List<Hour> timeline,
                             List<Summary> previous) {

    /** Clicks by people and by machines; {@code uniqueHuman}: recipients with at least one person's click. */
    public record Clicks(long human, long machine, long uniqueHuman) {
    }

    /** Opens by people and by machines; {@code uniqueHuman}: recipients who opened (or clicked) as a person. */
    public record Opens(long human, long machine, long uniqueHuman) {
    }

    /** One tracked link of the campaign. */
    public record Link(int linkNo, String url, long human, long machine, long uniqueHuman) {
    }

    /** One recipient domain: final outcomes, messages waiting for a retry now, and clicks. */
    public record Domain(String domain, long delivered, long deferred, long bounced, long blocked, long humanClicks,
                         long machineClicks) {
    }

    /** One hour (UTC) of the first 48 after the campaign started. */
    public record Hour(Instant hour, long delivered, long humanClicks, long machineClicks, long humanOpens,
                       long machineOpens) {
    }

    /** A campaign's headline figures, for side-by-side comparison. */
    public record Summary(long campaignId, String name, Instant startedAt, long delivered, long bounced,
                          long complaints, long unsubscribed, long humanClicks, long uniqueHumanClicks,
                          long machineClicks, long humanOpens, long uniqueHumanOpens, Double clickToOpen) {

        public String clickToOpenPercent() {
            return percent(clickToOpen);
        }
    }

    /** Click-to-open as a percentage for the page, or a dash. */
    public String clickToOpenPercent() {
        return percent(clickToOpen);
    }

    static String percent(Double ratio) {
        return ratio == null ? "–" : String.format(java.util.Locale.ROOT, "%.1f %%", ratio * 100);
    }

    /** Unique human clickers per unique human opener, or none when nobody opened. */
    static Double clickToOpen(long uniqueClicks, long uniqueOpens) {
        return uniqueOpens == 0 ? null : (double) uniqueClicks / uniqueOpens;
    }
}
