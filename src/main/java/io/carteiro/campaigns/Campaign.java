package io.carteiro.campaigns;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;

/** One campaign: its content templates, its targets, its schedule and throttle, and where it stands. */
@Entity
@Table(name = "campaign")
class Campaign {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    String name;
    String subject;
    @Column(name = "from_email")
    String fromEmail;
    @Column(name = "from_name")
    String fromName;
    @Column(name = "reply_to")
    String replyTo;
    String html;
    String text;
    @Column(name = "layout_id")
    Long layoutId;
    /** {"attribute": "value", ...} as JSON text (kept as text so ORM needs no JSON format mapper). */
    @Column(name = "attribute_filter")
    String attributeFilter;

    @Enumerated(EnumType.STRING)
    @Column(columnDefinition = "varchar(10)")
    CampaignStatus status = CampaignStatus.draft;
    @Column(name = "send_at")
    Instant sendAt;
    @Column(name = "started_at")
    Instant startedAt;
    @Column(name = "started_late")
    boolean startedLate;
    @Column(name = "finished_at")
    Instant finishedAt;
    @Column(name = "pause_reason")
    String pauseReason;

    @Column(name = "per_hour")
    Integer perHour;
    @Column(name = "window_days")
    String windowDays;
    @Column(name = "window_start")
    LocalTime windowStart;
    @Column(name = "window_end")
    LocalTime windowEnd;
    @Column(name = "time_zone")
    String timeZone = "UTC";
    @Column(name = "warmup_start")
    Integer warmupStart;
    @Column(name = "warmup_factor")
    BigDecimal warmupFactor;

    @Column(name = "release_credit")
    double releaseCredit;
    @Column(name = "last_release_at")
    Instant lastReleaseAt;
    @Column(name = "released_day")
    java.time.LocalDate releasedDay;
    @Column(name = "released_on_day")
    int releasedOnDay;

    /** Subscriber ids up to this one are queued; null when queueing is complete (see V61). */
    @Column(name = "queued_through")
    Long queuedThrough;
    /** The last subscriber id queueing covers; null when queueing is complete. */
    @Column(name = "queue_end")
    Long queueEnd;

    /** When the campaign was archived (left out of the campaign list); null when it is not. */
    @Column(name = "archived_at")
    Instant archivedAt;

    @Column(name = "created_by")
    String createdBy;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "updated_at")
    Instant updatedAt;

    /** Whether some recipients are still to be queued. */
    boolean queueing() {
        return queueEnd != null;
    }

    /** The attribute filter as name → required value (empty when none). */
    java.util.Map<String, String> filter() {
        return AttributeFilter.parse(attributeFilter);
    }

    /** Whether rows are released by the campaign ticker rather than queued due at once. */
    boolean throttled() {
        return perHour != null || windowDays != null || windowStart != null || warmupStart != null;
    }

    /** The longest pause reason the column holds (VARCHAR(500)). */
    static final int REASON_LIMIT = 500;

    /**
     * Marks a running campaign paused by one of its brakes, with the reason shown on its page (cut to what the
     * column holds); the caller holds its unsent rows in the same transaction.
     */
    void pausedByItself(String reason, Instant now) {
        status = CampaignStatus.paused;
        pauseReason = clip(reason);
        updatedAt = now;
    }

    static String clip(String reason) {
        return reason.length() <= REASON_LIMIT ? reason : reason.substring(0, REASON_LIMIT - 1) + "…";
    }
}
