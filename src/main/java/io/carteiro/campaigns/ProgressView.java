package io.carteiro.campaigns;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The progress block of a campaign page, pre-formatted for the admin's time zone: counters, rate, estimated finish,
 * percentage and the points of a small sends-per-minute chart.
 */
record ProgressView(long id, String status, long queued, long held, long sending, long sent, long deferred,
                    long bounced, long failed, long cancelled, long total, long remaining, String rate, String eta,
                    int percent, String chartPoints, long chartMax, boolean live) {

    static final int CHART_WIDTH = 300;
    static final int CHART_HEIGHT = 60;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    static ProgressView of(long id, CampaignStatus status, CampaignProgress p, ZoneId zone) {
        long max = Math.max(1, p.perMinute().stream().mapToLong(CampaignProgress.MinuteCount::sent).max().orElse(0));
        StringBuilder points = new StringBuilder();
        int n = p.perMinute().size();
        for (int i = 0; i < n; i++) {
            double x = n == 1 ? 0 : i * (double) CHART_WIDTH / (n - 1);
            double y = CHART_HEIGHT - p.perMinute().get(i).sent() * (double) (CHART_HEIGHT - 2) / max;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return new ProgressView(id, status.name(), p.queued(), p.held(), p.sending(), p.sent(), p.deferred(),
                p.bounced(), p.failed(), p.cancelled(), p.total(), p.remaining(),
                String.format(Locale.ROOT, "%.1f/min", p.ratePerMinute()), format(p.eta(), zone), p.percentDone(),
                points.toString().strip(), max,
                status == CampaignStatus.running || status == CampaignStatus.scheduled);
    }

    static String format(Instant instant, ZoneId zone) {
        return instant == null ? "—" : TIME.format(instant.atZone(zone)) + " " + zone.getId();
    }
}
