package io.carteiro.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One API token of an account: its hash, never the token itself. */
@Entity
@Table(name = "api_token")
class ApiToken {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "admin_user_id", nullable = false)
    long adminUserId;

    @Column(nullable = false)
    String name;

    @Column(name = "token_hash", nullable = false, length = 32)
    byte[] tokenHash;

    @Column(name = "token_prefix", nullable = false)
    String tokenPrefix;

    /** Comma-separated wire names, e.g. {@code read,write}. */
    @Column(nullable = false)
    String scopes;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "expires_at")
    Instant expiresAt;

    @Column(name = "last_used_at")
    Instant lastUsedAt;
}
