package io.carteiro.lists;

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
 * One version of the text a subscriber agrees to when joining a list. Versions are never changed, only added, so a
 * subscription can always show the exact words its consent was given to.
 */
@Entity
@Immutable
@Table(name = "consent_text")
public class ConsentText extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "list_id", nullable = false)
    public long listId;

    @Column(nullable = false)
    public int version;

    @Column(nullable = false)
    public String body;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;
}
