package io.carteiro.campaigns;

import java.time.Instant;
import java.util.List;

/**
 * A campaign as the API and the pages show it: settings, status and the queue's counters ({@code queueing}: some
 * recipients are still being added to the queue, so {@code total} still grows).
 */
record CampaignSummary(long id, String name, String subject, String fromEmail, String fromName, String replyTo,
                       List<Long> listIds, Long layoutId, String status, Instant sendAt, Instant startedAt,
                       boolean startedLate, boolean queueing, Instant finishedAt, String pauseReason, Integer perHour,
                       String windowDays, String windowStart, String windowEnd, String timeZone,
                       Integer warmupStart, Double warmupFactor, long queued, long sending, long sent,
                       long deferred, long bounced, long failed, long cancelled, long total, long remaining,
                       double ratePerMinute, Instant eta, int percentDone, Instant archivedAt) {

    static CampaignSummary of(Campaign c, List<Long> listIds, CampaignProgress p) {
        return new CampaignSummary(c.id, c.name, c.subject, c.fromEmail, c.fromName, c.replyTo, listIds, c.layoutId,
                c.status.name(), c.sendAt, c.startedAt, c.startedLate, c.queueing(), c.finishedAt, c.pauseReason,
                c.perHour,
                c.windowDays, c.windowStart == null ? null : c.windowStart.toString(),
                c.windowEnd == null ? null : c.windowEnd.toString(), c.timeZone, c.warmupStart,
                c.warmupFactor == null ? null : c.warmupFactor.doubleValue(), p.queued(), p.sending(), p.sent(),
                p.deferred(), p.bounced(), p.failed(), p.cancelled(), p.total(), p.remaining(), p.ratePerMinute(),
                p.eta(), p.percentDone(), c.archivedAt);
    }
}
