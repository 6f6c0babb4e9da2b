package io.carteiro.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One signed-in browser: the SHA-256 of its cookie token, whose account it is, and its CSRF token. */
@Entity
@Table(name = "admin_session")
class AdminSession {

    @Id
    @Column(name = "token_hash", length = 32)
    byte[] tokenHash;

    @Column(name = "admin_user_id", nullable = false)
    long adminUserId;

    @Column(name = "csrf_token", nullable = false)
    String csrfToken;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "last_seen_at", nullable = false)
    Instant lastSeenAt;

    @Column(name = "client_address")
    String clientAddress;

    @Column(name = "user_agent")
    String userAgent;
}
