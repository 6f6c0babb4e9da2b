package io.carteiro.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** Failed sign-ins counted for one client address, or one (client address, account) pair. */
@Entity
@Table(name = "sign_in_throttle")
class SignInThrottleEntry {

    @Id
    @Column(name = "throttle_key")
    String key;

    @Column(nullable = false)
    int failures;

    @Column(name = "last_failure_at", nullable = false)
    Instant lastFailureAt;

    @Column(name = "blocked_until")
    Instant blockedUntil;
}
