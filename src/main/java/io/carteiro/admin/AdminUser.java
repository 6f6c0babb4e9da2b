package io.carteiro.admin;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A person who signs in to the admin pages and the API; the password is kept only as a bcrypt hash. */
@Entity
@Table(name = "admin_user")
public class AdminUser extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String email;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(nullable = false)
    public String role = "admin";

    @Column(name = "time_zone", nullable = false)
    public String timeZone = "UTC";

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();
}
