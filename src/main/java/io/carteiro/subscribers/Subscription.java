package io.carteiro.subscribers;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/**
 * A subscriber on one list, with the evidence of how they joined (when, from where, through which door, agreeing to
 * which consent text) and of how they confirmed or left.
 */
@Entity
@Table(name = "subscription")
@IdClass(Subscription.Key.class)
public class Subscription extends PanacheEntityBase {

    /** The composite primary key (list, subscriber). */
    public record Key(Long listId, Long subscriberId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    @Column(name = "list_id")
    public Long listId;

    @Id
    @Column(name = "subscriber_id")
    public Long subscriberId;

    @Column(nullable = false)
    public SubscriptionStatus status;

    @Column(nullable = false)
    public ConsentSource source;

    @Column(name = "subscribed_at", nullable = false)
    public Instant subscribedAt;

    public String ip;

    @Column(name = "user_agent")
    public String userAgent;

    @Column(name = "consent_text_id")
    public Long consentTextId;

    @Column(name = "legal_basis")
    public String legalBasis;

    public String page;

    @Column(name = "confirmed_at")
    public Instant confirmedAt;

    @Column(name = "confirm_ip")
    public String confirmIp;

    @Column(name = "confirm_user_agent")
    public String confirmUserAgent;

    @Column(name = "unsubscribed_at")
    public Instant unsubscribedAt;

    @Column(name = "unsubscribe_method")
    public String unsubscribeMethod;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
