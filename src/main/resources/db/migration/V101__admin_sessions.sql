-- Issue 12.2 / 12.3: an admin session lived only in its cookie, encrypted with a key Quarkus printed in the log, so
-- anyone who read the log could forge one, and a cookie saved before sign-out kept working. Sessions are now rows
-- here. The cookie carries 32 random bytes; this table keeps only their SHA-256, so a dump of it signs nobody in.
-- Signing out, changing the password or removing the account deletes the account's rows, and every copy of those
-- cookies stops working at once, on every replica. Each session also holds the CSRF token its forms must return
-- (issue 12.7: a token bound to the session, checked whatever the request's content type).
CREATE TABLE admin_session (
    token_hash     BINARY(32)   NOT NULL PRIMARY KEY,
    admin_user_id  BIGINT       NOT NULL,
    csrf_token     CHAR(43)     NOT NULL,
    created_at     DATETIME(6)  NOT NULL,
    last_seen_at   DATETIME(6)  NOT NULL,
    client_address VARCHAR(45)  NULL,
    user_agent     VARCHAR(300) NULL,
    KEY ix_admin_session_user (admin_user_id),
    KEY ix_admin_session_seen (last_seen_at),
    CONSTRAINT fk_admin_session_user FOREIGN KEY (admin_user_id) REFERENCES admin_user (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
