package io.carteiro.subscribers;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;

/**
 * A person Carteiro may mail: the address as given (domain in A-label form), its lower-case key that makes it
 * unique, free-form attributes, and a global status that overrides every list.
 */
@Entity
@Table(name = "subscriber")
public class Subscriber extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String email;

    @Column(name = "email_key", nullable = false)
    public String emailKey;

    @Column(nullable = false)
    public String domain;

    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> attributes;

    @Column(nullable = false)
    public SubscriberStatus status = SubscriberStatus.ACTIVE;

    /** The subscriber turned click and open tracking off in the preference centre: their mail is never tracked. */
    @Column(name = "tracking_refused", nullable = false)
    public boolean trackingRefused;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    void setAddress(EmailAddress address) {
        email = address.value();
        emailKey = address.key();
        domain = address.domainKey();
    }
}
