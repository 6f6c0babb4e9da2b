package io.carteiro.campaigns;

import io.carteiro.delivery.DeliveryConfig;
import io.carteiro.delivery.MessagesDue;
import io.carteiro.subscribers.EmailAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The life of a campaign: compose (templates checked at save), schedule, pause, resume, cancel, resend to the
 * failed, and its progress read from the queue. Every change is one transaction; a refusal changes nothing.
 */
@ApplicationScoped
class CampaignService {

    /** The last instant a DATETIME(6) column holds (times are UTC DATETIME since V96). */
    static final Instant LAST_SEND_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");

    @Inject
    Event<MessagesDue> due;

    @Inject
    CampaignRepository campaigns;

    @Inject
    LayoutRepository layouts;

    @Inject
    CampaignTemplates templates;

    @Inject
    CampaignScheduler scheduler;

    @Inject
    CampaignRenderer renderer;

    @Inject
    DeliveryConfig delivery;

    @Inject
    Clock clock;

    @Inject
    io.carteiro.subscribers.Recipients recipients;

    @Inject
    io.carteiro.subscribers.SubscriberLookup subscriberLookup;

    @Transactional
    CampaignOutcome create(CampaignDraft draft, String actor) {
        Campaign c = new Campaign();
        Optional<CampaignOutcome> refused = apply(c, draft);
        if (refused.isPresent()) {
            return refused.get();
        }
        Instant now = clock.instant();
        c.createdBy = actor;
        c.createdAt = now;
        c.updatedAt = now;
        campaigns.persist(c);
        campaigns.flush();
        campaigns.replaceLists(c.id, distinct(draft.listIds()));
        return CampaignOutcome.done(c.id);
    }

    @Transactional
    CampaignOutcome update(long id, CampaignDraft draft) {
        Optional<Campaign> found = campaigns.lockById(id);
        if (found.isEmpty()) {
            return CampaignOutcome.notFound(id);
        }
        Campaign c = found.get();
        if (!c.status.editable()) {
            return CampaignOutcome.conflict(id, "campaign " + id + " is " + c.status + "; only drafts can be edited");
        }
        Optional<CampaignOutcome> refused = apply(c, draft);
        if (refused.isPresent()) {
            return refused.get();
        }
        c.updatedAt = clock.instant();
        campaigns.replaceLists(c.id, distinct(draft.listIds()));
        renderer.forget(id);
        return CampaignOutcome.done(id);
    }

    /**
     * A new draft with this campaign's content, targets and throttle (whatever its status), named "Copy of …"; its
     * queue, counters and schedule start empty.
     */
    @Transactional
    CampaignOutcome duplicate(long id, String actor) {
        Optional<Campaign> found = campaigns.findByIdOptional(id);
        if (found.isEmpty()) {
            return CampaignOutcome.notFound(id);
        }
        Campaign from = found.get();
        Campaign c = new Campaign();
        String name = "Copy of " + from.name;
        c.name = name.length() > 200 ? name.substring(0, 199) + "…" : name;
        c.subject = from.subject;
        c.fromEmail = from.fromEmail;
        c.fromName = from.fromName;
        c.replyTo = from.replyTo;
        c.html = from.html;
        c.text = from.text;
        c.layoutId = from.layoutId;
        c.attributeFilter = from.attributeFilter;
        c.perHour = from.perHour;
        c.windowDays = from.windowDays;
        c.windowStart = from.windowStart;
        c.windowEnd = from.windowEnd;
        c.timeZone = from.timeZone;
        c.warmupStart = from.warmupStart;
        c.warmupFactor = from.warmupFactor;
        Instant now = clock.instant();
        c.createdBy = actor;
        c.createdAt = now;
        c.updatedAt = now;
        campaigns.persist(c);
        campaigns.flush();
        campaigns.replaceLists(c.id, campaigns.listIds(id));
        return CampaignOutcome.done(c.id);
    }

    /** Deletes a draft (nothing was queued for it); any other status is refused, as its history must stay. */
    @Transactional
    CampaignOutcome deleteDraft(long id) {
        Optional<Campaign> found = campaigns.lockById(id);
        if (found.isEmpty()) {
            return CampaignOutcome.notFound(id);
        }
        if (found.get().status != CampaignStatus.draft) {
            return CampaignOutcome.conflict(id, "campaign " + id + " is " + found.get().status
                    + "; only a draft can be deleted (archive it instead)");
        }
        campaigns.delete(found.get());
        renderer.forget(id);
        return CampaignOutcome.done(id);
    }

    /**
     * Archives a finished or cancelled campaign (it leaves the campaign list; report and log stay), or brings it
     * back; a campaign that may still send is refused.
     */
    @Transactional
    CampaignOutcome archive(long id, boolean archived) {
        Optional<Campaign> found = campaigns.lockById(id);
        if (found.isEmpty()) {
            return CampaignOutcome.notFound(id);
        }
        Campaign c = found.get();
        if (archived && c.status != CampaignStatus.finished && c.status != CampaignStatus.cancelled) {
            return CampaignOutcome.conflict(id, "campaign " + id + " is " + c.status
                    + "; only a finished or cancelled campaign can be archived");
        }
        c.archivedAt = archived ? (c.archivedAt == null ? clock.instant() : c.archivedAt) : null;
        c.updatedAt = clock.instant();
        return CampaignOutcome.done(id);
    }

    /** The subscriber an admin named by e-mail address (case-insensitive) or by number, if any. */
    @Transactional
    Optional<Long> subscriberNamed(String typed) {
        if (typed.chars().allMatch(Character::isDigit) && typed.length() <= 18) {
            long id = Long.parseLong(typed);
            return subscriberLookup.byId(id).map(s -> s.id());
        }
        return EmailAddress.parse(typed) instanceof EmailAddress.Valid v
                ? subscriberLookup.byKey(v.address().key()).map(s -> s.id()) : Optional.empty();
    }

    /** Schedules a draft for {@code sendAt}, or for now when null. */
    @Transactional
    CampaignOutcome schedule(long id, Instant sendAt) {
        Optional<Campaign> found = campaigns.lockById(id);
        if (found.isEmpty()) {
            return CampaignOutcome.notFound(id);
        }
        Campaign c = found.get();
        if (c.status != CampaignStatus.draft) {
            return CampaignOutcome.conflict(id, "campaign " + id + " is " + c.status
                    + "; only a draft can be scheduled");
        }
        Instant now = clock.instant();
        if (sendAt != null && sendAt.isBefore(now.minus(Duration.ofMinutes(1)))) {
            return CampaignOutcome.invalid("sendAt", "sendAt " + sendAt + " is in the past; send null to send now");
        }
        if (sendAt != null && sendAt.isAfter(LAST_SEND_TIME)) {
            return CampaignOutcome.invalid("sendAt", "sendAt " + sendAt + " is too far ahead; the latest is 9999-12-31");
        }
        if (campaigns.listIds(id).isEmpty()) {
            return CampaignOutcome.invalid(null, "the campaign has no target list");
        }
        c.sendAt = sendAt == null ? now : sendAt;
        c.status = CampaignStatus.scheduled;
        c.updatedAt = now;
        scheduler.schedule(id, c.sendAt);
        return CampaignOutcome.done(id);
    }

    /** Pauses a scheduled or running campaign: nothing more of it is handed to the engine until resumed. */
    @Transactional
    CampaignOutcome pause(long id, String reason) {
        Optional<Campaign> found = campaigns.lockById(id);
        if (found.isEmpty()) {
            return CampaignOutcome.notFound(id);
        }
        Campaign c = found.get();
        if (c.status != CampaignStatus.running && c.status != CampaignStatus.scheduled) {
            return CampaignOutcome.conflict(id, "campaign " + id + " is " + c.status + "; only a scheduled or running"
                    + " campaign can be paused");
        }
        if (c.status == CampaignStatus.scheduled) {
            scheduler.unschedule(id);
        }
        campaigns.hold(id);
        c.status = CampaignStatus.paused;
        c.pauseReason = reason;
        c.updatedAt = clock.instant();
        return CampaignOutcome.done(id);
    }

    /** Resumes a paused campaign where it stopped: its held rows are released in the order they were queued. */
    @Transactional
    CampaignOutcome resume(long id) {
        Optional<Campaign> found = campaigns.lockById(id);
        if (found.isEmpty()) {
            return CampaignOutcome.notFound(id);
        }
        Campaign c = found.get();
        if (c.status != CampaignStatus.paused) {
            return CampaignOutcome.conflict(id, "campaign " + id + " is " + c.status + "; only a paused campaign"
                    + " can be resumed");
        }
        Instant now = clock.instant();
        c.pauseReason = null;
        c.updatedAt = now;
        campaigns.resetOwnFailures(id);
        if (c.startedAt == null) {
            if (c.sendAt == null || c.sendAt.isBefore(now)) {
                c.sendAt = now;
            }
            c.status = CampaignStatus.scheduled;
            scheduler.schedule(id, c.sendAt);
            return CampaignOutcome.done(id);
        }
        c.status = CampaignStatus.running;
        if (!c.throttled() && campaigns.release(id, Long.MAX_VALUE, now) > 0) {
            due.fire(new MessagesDue());
        }
        return CampaignOutcome.done(id);
    }

    /** Cancels the campaign: every message not yet handed to an exchanger is cancelled. */
    @Transactional
    CampaignOutcome cancel(long id) {
        Optional<Campaign> found = campaigns.lockById(id);
        if (found.isEmpty()) {
            return CampaignOutcome.notFound(id);
        }
        Campaign c = found.get();
        if (c.status == CampaignStatus.finished || c.status == CampaignStatus.cancelled) {
            return CampaignOutcome.conflict(id, "campaign " + id + " is already " + c.status);
        }
        if (c.status == CampaignStatus.scheduled) {
            scheduler.unschedule(id);
        }
        campaigns.cancelUnsent(id);
        Instant now = clock.instant();
        c.status = CampaignStatus.cancelled;
        c.finishedAt = now;
        c.updatedAt = now;
        return CampaignOutcome.done(id);
    }

    /** After a campaign finished: queues again the recipients that failed or were deferred past their lifetime. */
    @Transactional
    CampaignOutcome resendFailed(long id) {
        Optional<Campaign> found = campaigns.lockById(id);
        if (found.isEmpty()) {
            return CampaignOutcome.notFound(id);
        }
        Campaign c = found.get();
        if (c.status != CampaignStatus.finished) {
            return CampaignOutcome.conflict(id, "campaign " + id + " is " + c.status + "; resend is for a finished"
                    + " campaign");
        }
        Instant now = clock.instant();
        int requeued = campaigns.requeueFailed(id, c.throttled() ? null : now, now.plus(delivery.giveUpAfter()));
        if (requeued == 0) {
            return CampaignOutcome.conflict(id, "campaign " + id + " has no failed recipients");
        }
        c.status = CampaignStatus.running;
        c.finishedAt = null;
        c.updatedAt = now;
        return CampaignOutcome.done(id);
    }

    @Transactional
    Optional<CampaignSummary> find(long id) {
        return campaigns.findByIdOptional(id).map(c -> CampaignSummary.of(c, campaigns.listIds(id), progress(id)));
    }

    /**
     * Who of the target lists' members this campaign reaches and who it leaves out and why, counted now (before
     * sending: who it will reach; after: how the lists stand, beside the queue's own counters).
     */
    @Transactional
    Optional<io.carteiro.subscribers.Recipients.Audience> audience(long id) {
        return campaigns.findByIdOptional(id).map(c -> recipients.audience(campaigns.listIds(id),
                AttributeFilter.parse(c.attributeFilter)));
    }

    @Transactional
    List<CampaignSummary> all() {
        return campaigns.listAll(io.quarkus.panache.common.Sort.descending("id")).stream()
                .map(c -> CampaignSummary.of(c, campaigns.listIds(c.id), progress(c.id))).toList();
    }

    /** The campaigns not archived (or only the archived ones), newest first. */
    @Transactional
    List<CampaignSummary> all(boolean archived) {
        return campaigns.list(archived ? "archivedAt is not null" : "archivedAt is null",
                        io.quarkus.panache.common.Sort.descending("id")).stream()
                .map(c -> CampaignSummary.of(c, campaigns.listIds(c.id), progress(c.id))).toList();
    }

    /** Counters from the queue, the rate over the last five minutes and the estimated finish at that rate. */
    @Transactional
    CampaignProgress progress(long id) {
        Map<String, Long> n = campaigns.countByState(id);
        long held = n.getOrDefault("held", 0L);
        long queued = n.getOrDefault("queued", 0L) + held;
        long sending = n.getOrDefault("sending", 0L);
        long deferred = n.getOrDefault("deferred", 0L);
        long total = n.values().stream().mapToLong(Long::longValue).sum();
        long remaining = queued + sending + deferred;
        Instant now = clock.instant();
        Instant since = now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(29));
        List<CampaignProgress.MinuteCount> perMinute = fill(campaigns.sentPerMinute(id, since), since);
        long lastFive = perMinute.stream().skip(Math.max(0, perMinute.size() - 5))
                .mapToLong(CampaignProgress.MinuteCount::sent).sum();
        double rate = lastFive / 5.0;
        Instant eta = remaining == 0 || rate == 0 ? null : now.plusSeconds((long) Math.ceil(remaining / rate * 60));
        return new CampaignProgress(queued, held, sending, n.getOrDefault("sent", 0L), deferred,
                n.getOrDefault("bounced", 0L), n.getOrDefault("failed", 0L), n.getOrDefault("cancelled", 0L),
                total, remaining, rate, eta, perMinute);
    }

    /** A list or layout to choose in a form. */
    record ListOption(long id, String name) {
    }

    @Transactional
    List<ListOption> lists() {
        return campaigns.options("SELECT id, name FROM mailing_list ORDER BY name, id");
    }

    @Transactional
    List<ListOption> layouts() {
        return campaigns.options("SELECT id, name FROM campaign_layout ORDER BY name, id");
    }

    /** The admin's time zone (schedules are shown and entered in it, stored in UTC). */
    @Transactional
    String adminTimeZone(String email) {
        return campaigns.adminTimeZone(email).orElse("UTC");
    }

    /** The compose form of a campaign, filled from what is stored. */
    @Transactional
    Optional<CampaignPages.Form> form(long id) {
        return campaigns.findByIdOptional(id).map(c -> new CampaignPages.Form(c.name, c.subject, c.fromEmail,
                c.fromName, c.replyTo, campaigns.listIds(id), c.html, c.text, c.layoutId,
                c.perHour == null ? "" : c.perHour.toString(), c.windowDays,
                c.windowStart == null ? "" : c.windowStart.toString(),
                c.windowEnd == null ? "" : c.windowEnd.toString(),
                c.timeZone, c.warmupStart == null ? "" : c.warmupStart.toString(),
                c.warmupFactor == null ? "" : c.warmupFactor.toPlainString()));
    }

    /** Stores a layout whose parts parse; returns the error otherwise (and stores nothing). */
    @Transactional
    TemplateError createLayout(String name, String headerHtml, String footerHtml) {
        if (name == null || name.isBlank() || name.length() > 200) {
            return TemplateError.of("name", "a layout needs a name of at most 200 characters");
        }
        if (layouts.count("name", name.strip()) > 0) {
            return TemplateError.of("name", "a layout named '" + name.strip() + "' exists already");
        }
        CampaignContent.Layout layout = new CampaignContent.Layout(headerHtml, footerHtml, null, null);
        TemplateError error = templates.checkLayout(layout);
        if (error != null) {
            return error;
        }
        CampaignLayout l = new CampaignLayout();
        l.name = name.strip();
        l.headerHtml = headerHtml == null ? "" : headerHtml;
        l.footerHtml = footerHtml == null ? "" : footerHtml;
        l.createdAt = clock.instant();
        l.updatedAt = l.createdAt;
        layouts.persist(l);
        return null;
    }

    /** The list a subscriber gets this campaign for: the lowest target list they are on, else the first target. */
    @Transactional
    long listOf(long campaignId, long subscriberId) {
        return campaigns.listFor(campaignId, subscriberId);
    }

    @Transactional
    List<CampaignRepository.LogLine> deliveryLog(long id, String address, String state, int page) {
        return campaigns.deliveryLog(id, address, state, Math.max(0, page) * 50, 50);
    }

    private static List<CampaignProgress.MinuteCount> fill(List<CampaignProgress.MinuteCount> sparse, Instant since) {
        List<CampaignProgress.MinuteCount> out = new ArrayList<>(30);
        Map<Instant, Long> byMinute = new java.util.HashMap<>();
        sparse.forEach(m -> byMinute.put(m.minute(), m.sent()));
        for (int i = 0; i < 30; i++) {
            Instant minute = since.plus(Duration.ofMinutes(i));
            out.add(new CampaignProgress.MinuteCount(minute, byMinute.getOrDefault(minute, 0L)));
        }
        return out;
    }

    /** Checks the draft and copies it onto the campaign; the first problem found is returned and nothing is set. */
    private Optional<CampaignOutcome> apply(Campaign c, CampaignDraft d) {
        if (d == null) {
            return Optional.of(CampaignOutcome.invalid(null, "the request has no campaign"));
        }
        if (d.name() == null || d.name().isBlank()) {
            return Optional.of(CampaignOutcome.invalid("name", "name is empty"));
        }
        if (d.name().length() > 200) {
            return Optional.of(CampaignOutcome.invalid("name", "name is longer than 200 characters"));
        }
        if (d.listIds() == null || d.listIds().isEmpty() || d.listIds().contains(null)) {
            return Optional.of(CampaignOutcome.invalid("listIds", "listIds must name at least one list"));
        }
        List<Long> lists = distinct(d.listIds());
        List<Long> missing = campaigns.missingLists(lists);
        if (!missing.isEmpty()) {
            return Optional.of(CampaignOutcome.invalid("listIds", "listIds " + missing + " name no list"));
        }
        String[] listSender = campaigns.listSender(lists.get(0)).orElse(new String[3]);
        String fromEmail = blankToNull(d.fromEmail()) == null ? listSender[0] : d.fromEmail().strip();
        String fromName = blankToNull(d.fromName()) == null ? listSender[1] : d.fromName().strip();
        String replyTo = blankToNull(d.replyTo()) == null ? listSender[2] : d.replyTo().strip();
        // The sender fields are checked as they will be sent, so a list default is held to the same rule.
        for (var field : new String[][]{{"name", d.name()}, {"fromEmail", fromEmail}, {"fromName", fromName},
                {"replyTo", replyTo}, {"subject", d.subject()}}) {
            Optional<String> problem = HeaderValues.problem(field[1]);
            if (problem.isPresent()) {
                return Optional.of(CampaignOutcome.invalid(field[0], field[0] + " " + problem.get()));
            }
        }
        if (fromEmail == null) {
            return Optional.of(CampaignOutcome.invalid("fromEmail", "fromEmail is empty and the list has no default sender"));
        }
        Optional<CampaignOutcome> badAddress = addressProblem("fromEmail", fromEmail)
                .or(() -> replyTo == null ? Optional.empty() : addressProblem("replyTo", replyTo));
        if (badAddress.isPresent()) {
            return badAddress;
        }
        if (fromName != null && fromName.length() > 200) {
            return Optional.of(CampaignOutcome.invalid("fromName", "fromName is longer than 200 characters"));
        }
        if (d.subject() != null && d.subject().length() > 998) {
            return Optional.of(CampaignOutcome.invalid("subject", "subject is longer than 998 characters"));
        }
        Optional<CampaignOutcome> throttle = throttleProblem(d);
        if (throttle.isPresent()) {
            return throttle;
        }
        Map<String, String> filter = d.attributeFilter() == null || d.attributeFilter().isEmpty() ? null
                : d.attributeFilter();
        if (filter != null) {
            for (Map.Entry<String, String> e : filter.entrySet()) {
                if (e.getKey() == null || !CampaignRepository.ATTRIBUTE_NAME.matcher(e.getKey()).matches()) {
                    return Optional.of(CampaignOutcome.invalid("attributeFilter", "attributeFilter name '" + e.getKey()
                            + "' must be 1-64 characters of A-Z a-z 0-9 _ -"));
                }
                if (e.getValue() == null) {
                    return Optional.of(CampaignOutcome.invalid("attributeFilter", "attributeFilter '" + e.getKey() + "' has no value"));
                }
            }
        }
        CampaignContent.Layout layout = null;
        if (d.layoutId() != null) {
            Optional<CampaignLayout> l = layouts.findByIdOptional(d.layoutId());
            if (l.isEmpty()) {
                return Optional.of(CampaignOutcome.invalid("layoutId", "layoutId " + d.layoutId() + " names no layout"));
            }
            layout = LayoutRepository.content(l.get());
        }
        CampaignTemplates.Checked checked = templates.check(
                new CampaignContent(d.subject(), d.html(), blankToNull(d.text()), layout));
        if (checked instanceof CampaignTemplates.Refused refused) {
            return Optional.of(CampaignOutcome.invalid(refused.error()));
        }
        c.name = d.name().strip();
        c.subject = d.subject().strip();
        c.fromEmail = fromEmail;
        c.fromName = fromName;
        c.replyTo = replyTo;
        c.html = d.html();
        c.text = blankToNull(d.text());
        c.layoutId = d.layoutId();
        c.attributeFilter = AttributeFilter.format(filter);
        c.perHour = d.perHour();
        c.windowDays = blankToNull(d.windowDays()) == null ? null
                : d.windowDays().strip().toUpperCase(java.util.Locale.ROOT);
        c.windowStart = d.windowStart();
        c.windowEnd = d.windowEnd();
        c.timeZone = blankToNull(d.timeZone()) == null ? "UTC" : d.timeZone().strip();
        c.warmupStart = d.warmupStart();
        c.warmupFactor = d.warmupStart() == null ? null
                : d.warmupFactor() == null ? java.math.BigDecimal.ONE : d.warmupFactor();
        return Optional.empty();
    }

    private static Optional<CampaignOutcome> throttleProblem(CampaignDraft d) {
        if (d.perHour() != null && d.perHour() <= 0) {
            return Optional.of(CampaignOutcome.invalid("perHour", "perHour must be positive"));
        }
        if ((d.windowStart() == null) != (d.windowEnd() == null)) {
            return Optional.of(CampaignOutcome.invalid(d.windowStart() == null ? "windowStart" : "windowEnd",
                    "a sending window needs both windowStart and windowEnd"));
        }
        if (d.windowStart() != null && d.windowStart().equals(d.windowEnd())) {
            return Optional.of(CampaignOutcome.invalid("windowEnd", "windowStart and windowEnd are equal"));
        }
        try {
            ReleasePlan.Throttle.parseDays(d.windowDays());
        } catch (IllegalArgumentException e) {
            return Optional.of(CampaignOutcome.invalid("windowDays", "windowDays: " + e.getMessage()));
        }
        if (blankToNull(d.timeZone()) != null) {
            try {
                ZoneId.of(d.timeZone().strip());
            } catch (DateTimeException e) {
                return Optional.of(CampaignOutcome.invalid("timeZone",
                        "timeZone '" + d.timeZone() + "' is not a time zone (e.g. Europe/Lisbon)"));
            }
        }
        if (d.warmupStart() != null && d.warmupStart() <= 0) {
            return Optional.of(CampaignOutcome.invalid("warmupStart", "warmupStart must be positive"));
        }
        if (d.warmupFactor() != null && (d.warmupFactor().doubleValue() < 1 || d.warmupFactor().doubleValue() > 100)) {
            return Optional.of(CampaignOutcome.invalid("warmupFactor", "warmupFactor must be between 1 and 100"));
        }
        return Optional.empty();
    }

    private static Optional<CampaignOutcome> addressProblem(String field, String address) {
        if (EmailAddress.parse(address) instanceof EmailAddress.Invalid invalid) {
            return Optional.of(CampaignOutcome.invalid(field, field + " '" + address + "': " + invalid.reason()));
        }
        return Optional.empty();
    }

    private static List<Long> distinct(List<Long> ids) {
        return new ArrayList<>(new LinkedHashSet<>(ids));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
