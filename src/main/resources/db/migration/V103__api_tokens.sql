-- Issue 12.20: the API took only account passwords (HTTP Basic), so every script held an admin's password, with all
-- of its power, for as long as the password lived. API tokens are credentials of their own: named, limited to
-- scopes (read, write, send), optionally expiring, revocable one by one, with the time each was last used. The token
-- is shown once when made; only its SHA-256 is kept (it is 32 random bytes, so a fast hash is enough), with a short
-- prefix to recognise it in lists. Removing the account removes its tokens.
CREATE TABLE api_token (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    admin_user_id BIGINT       NOT NULL,
    name          VARCHAR(100) NOT NULL,
    token_hash    BINARY(32)   NOT NULL,
    token_prefix  VARCHAR(12)  NOT NULL,
    scopes        VARCHAR(40)  NOT NULL,
    created_at    DATETIME(6)  NOT NULL,
    expires_at    DATETIME(6)  NULL,
    last_used_at  DATETIME(6)  NULL,
    CONSTRAINT uq_api_token_hash UNIQUE (token_hash),
    KEY ix_api_token_user (admin_user_id),
    CONSTRAINT fk_api_token_user FOREIGN KEY (admin_user_id) REFERENCES admin_user (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
