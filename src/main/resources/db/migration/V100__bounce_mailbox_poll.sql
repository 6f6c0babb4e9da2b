-- When the bounce mailbox is due is decided from this row, not from a stored Quartz trigger (issue 18.7): the
-- trigger of a changed poll interval kept its old schedule and took effect only at its next run, and the first poll
-- came 30 s after start. A frequent due check compares the configured interval with started_at, so a changed
-- interval applies at once, and changed settings (a new fingerprint) are polled at once. The lease keeps two
-- replicas from polling at the same time; outcome is what the last poll came to, shown on the bounces page.
CREATE TABLE bounce_mailbox_poll (
    id           TINYINT       NOT NULL PRIMARY KEY,
    settings     CHAR(64)      NULL,
    started_at   DATETIME(6)   NULL,
    lease_until  DATETIME(6)   NULL,
    finished_at  DATETIME(6)   NULL,
    outcome      VARCHAR(1000) NULL,
    CONSTRAINT ck_bounce_mailbox_poll_one CHECK (id = 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO bounce_mailbox_poll (id) VALUES (1);
