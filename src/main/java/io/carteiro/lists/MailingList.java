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

    /** The version of {@link ConsentText} new subscribers agree to; null while the list has no consent text. */
    @Column(name = "consent_text_version")
    public Integer consentTextVersion;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
