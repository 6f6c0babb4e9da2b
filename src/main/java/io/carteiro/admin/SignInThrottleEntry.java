package io.carteiro.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** Failed sign-ins counted for one account or IP. */
@Entity
@Table(name = "sign_in_throttle")
class SignInThrottleEntry {

    @Id
    @Column(name = "throttle_key")
    String key;

    @Column(nullable = false)
    int failures;

    @Column(name = "window_started", nullable = false)
    Instant windowStarted;

    @Column(name = "locked_until")
    Instant lockedUntil;
}
