package io.carteiro.lists;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A list people subscribe to: its name, opt-in mode, default sender identity and current consent text version. */
@Entity
@Table(name = "mailing_list")
public class MailingList extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String name;

    public String description;

    @Column(name = "opt_in", nullable = false)
    public OptIn optIn = OptIn.DOUBLE;

    @Column(name = "from_email")
    public String fromEmail;

    @Column(name = "from_name")
    public String fromName;

    @Column(name = "reply_to")
    public String replyTo;

    @Column(name = "public_form", nullable = false)
    public boolean publicForm;

    /** How clicks (and opens, when {@link #openTracking}) of this list's campaigns are tracked. */
    @Column(nullable = false)
    public Tracking tracking = Tracking.AGGREGATE;

    /** Whether messages carry a 1x1 image that counts opens (never when {@link #tracking} is off). */
    @Column(name = "open_tracking", nullable = false)
    public boolean openTracking;

    /** Whether the sunset rule runs on this list (off by default; see {@link Sunset}). */
    @Column(name = "sunset_enabled", nullable = false)
    public boolean sunsetEnabled;

    /** The sunset rule: months without human engagement before the re-engagement campaign. */
    @Column(name = "sunset_months", nullable = false)
    public int sunsetMonths = Sunset.DEFAULT_MONTHS;

    /** The sunset rule: days after the re-engagement campaign before an unanswered subscriber is unsubscribed. */
    @Column(name = "sunset_grace_days", nullable = false)
    public int sunsetGraceDays = Sunset.DEFAULT_GRACE_DAYS;

    /** The sunset rule: the campaign sent once to those who stopped engaging. */
    @Column(name = "sunset_campaign_id")
    public Long sunsetCampaignId;

    /** The version of {@link ConsentText} new subscribers agree to; null while the list has no consent text. */
    @Column(name = "consent_text_version")
    public Integer consentTextVersion;

    /** The list's sunset rule as one value. */
    public Sunset sunset() {
        return new Sunset(sunsetEnabled, sunsetMonths, sunsetGraceDays, sunsetCampaignId);
    }

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
