-- Reputation brakes (issue 17.5), written only by the deliverability package. A running campaign pauses itself (with
-- campaign.pause_reason) when hard bounces exceed a share of its first messages, when complaints exceed a share of
-- what it delivered, or when one provider refuses (421, 4.7.x, 5.7.x) most of its recent attempts.
--  * brake_setting: the thresholds the admin sets on the settings page (one row; none means the defaults in code).
--  * campaign_reputation: per campaign, the final outcomes among its first messages, what it delivered, and when
--    each brake fired (a brake fires once per campaign: resuming is the list owner's decision to go on).
--  * campaign_provider_window: per campaign and provider (the registrable domain of the exchanger), attempts and
--    refusals in the current and the previous window, so the share looks at recent traffic.
--  * attempt_cursor: how far the delivery attempt log has been read; read and moved under a row lock, in the
--    transaction that adds the counts, so each attempt is counted once however many replicas run.
--  * sending_day: delivered messages per UTC day and From domain (the denominator of the 30-day complaint rate).
CREATE TABLE brake_setting (
    id                       TINYINT      NOT NULL PRIMARY KEY,
    enabled                  BOOLEAN      NOT NULL,
    first_messages           INT          NOT NULL,
    min_messages             INT          NOT NULL,
    hard_bounce_percent      DECIMAL(5,2) NOT NULL,
    complaint_percent        DECIMAL(6,3) NOT NULL,
    min_delivered            INT          NOT NULL,
    provider_refusal_percent DECIMAL(5,2) NOT NULL,
    provider_min_attempts    INT          NOT NULL,
    updated_at               DATETIME(6)  NOT NULL,
    updated_by               VARCHAR(320) NULL,
    CONSTRAINT ck_brake_setting_one_row CHECK (id = 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE campaign_reputation (
    campaign_id       BIGINT      NOT NULL PRIMARY KEY,
    first_finals      INT         NOT NULL DEFAULT 0,
    first_hard        INT         NOT NULL DEFAULT 0,
    delivered         BIGINT      NOT NULL DEFAULT 0,
    bounce_brake_at   DATETIME(6) NULL,
    complaint_brake_at DATETIME(6) NULL,
    provider_brake_at DATETIME(6) NULL,
    updated_at        DATETIME(6) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE campaign_provider_window (
    campaign_id    BIGINT       NOT NULL,
    provider       VARCHAR(253) NOT NULL,
    window_start   DATETIME(6)  NOT NULL,
    attempts       INT          NOT NULL,
    refusals       INT          NOT NULL,
    prev_attempts  INT          NOT NULL DEFAULT 0,
    prev_refusals  INT          NOT NULL DEFAULT 0,
    last_refusal   VARCHAR(300) NULL,
    PRIMARY KEY (campaign_id, provider)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE attempt_cursor (
    id            TINYINT     NOT NULL PRIMARY KEY,
    last_id       BIGINT      NOT NULL,
    -- the highest attempt id seen at the previous read: rows up to it are read now, so a transaction still
    -- committing lower ids when that read happened has had a whole interval to finish
    high_water    BIGINT      NOT NULL,
    updated_at    DATETIME(6) NOT NULL,
    CONSTRAINT ck_attempt_cursor_one_row CHECK (id = 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE sending_day (
    day        DATE         NOT NULL,
    domain     VARCHAR(253) NOT NULL,
    delivered  BIGINT       NOT NULL,
    PRIMARY KEY (day, domain)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
