package io.carteiro.subscribers;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

import java.time.Instant;

/**
 * One line of the append-only consent log (GDPR Art. 7(1): the controller must be able to show consent). Rows are
 * inserted, never changed (a database trigger refuses updates), and deleted only by erasure.
 */
@Entity
@Immutable
@Table(name = "consent_event")
public class ConsentEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "subscriber_id", nullable = false)
    public long subscriberId;

    @Column(name = "list_id")
    public Long listId;

    @Column(name = "list_name")
    public String listName;

    @Column(nullable = false)
    public ConsentEventKind event;

    @Column(nullable = false)
    public ConsentSource source;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    public String ip;

    @Column(name = "user_agent")
    public String userAgent;

    @Column(name = "consent_text_id")
    public Long consentTextId;

    @Column(name = "legal_basis")
    public String legalBasis;

    public String actor;

    public String detail;

    @Column(name = "bounce_id")
    public Long bounceId;
}
