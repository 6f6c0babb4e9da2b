-- Issue 16.6: the list-hygiene (sunset) rule, off by default. A list with the rule on mails a subscriber with no
-- human engagement for `inactive_months` (per-subscriber tracking needed) one re-engagement message; a subscriber
-- who does not click its "keep me" button within `grace_days` is unsubscribed with a consent event of kind
-- 'inactive'. Written only by the engagement package.
CREATE TABLE sunset_rule (
    list_id         BIGINT        NOT NULL PRIMARY KEY,
    enabled         BOOLEAN       NOT NULL DEFAULT FALSE,
    inactive_months INT           NOT NULL DEFAULT 6,
    grace_days      INT           NOT NULL DEFAULT 14,
    subject         VARCHAR(998)  NOT NULL,
    body            TEXT          NOT NULL,
    updated_at      DATETIME(6)   NOT NULL,
    updated_by      VARCHAR(320)  NULL,
    CONSTRAINT ck_sunset_rule_months CHECK (inactive_months BETWEEN 1 AND 60),
    CONSTRAINT ck_sunset_rule_grace CHECK (grace_days BETWEEN 1 AND 90)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A subscriber the rule mailed: kept until they keep their subscription (any human engagement or the keep button
-- after mailed_at) or the grace period ends and they are unsubscribed.
CREATE TABLE sunset_candidate (
    list_id             BIGINT      NOT NULL,
    subscriber_id       BIGINT      NOT NULL,
    mailed_at           DATETIME(6) NOT NULL,
    outbound_message_id BIGINT      NULL,
    PRIMARY KEY (list_id, subscriber_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ix_sunset_candidate_subscriber ON sunset_candidate (subscriber_id);
CREATE INDEX ix_sunset_candidate_mailed ON sunset_candidate (list_id, mailed_at);
