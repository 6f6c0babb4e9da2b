-- Issue 12.4: five wrong passwords from anywhere locked the account for 15 minutes, so anyone could lock the owner
-- out. Failures are now counted per (client address, account) and per client address, and past a few free
-- failures each one makes that key wait longer (1 s, 2 s, 4 s, ... up to a ceiling); the account alone is never
-- locked. Keys name the account by the SHA-256 of its e-mail, not the e-mail. The old counters mean nothing under
-- the new rule and are dropped with their table.
DROP TABLE sign_in_throttle;

CREATE TABLE sign_in_throttle (
    throttle_key    VARCHAR(200) NOT NULL PRIMARY KEY,
    failures        INT          NOT NULL,
    last_failure_at DATETIME(6)  NOT NULL,
    blocked_until   DATETIME(6)  NULL,
    KEY ix_sign_in_throttle_last_failure (last_failure_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
