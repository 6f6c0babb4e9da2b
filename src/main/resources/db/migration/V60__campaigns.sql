-- Campaigns: what is sent (templates), to whom (target lists and an attribute filter), when (send_at, UTC) and how
-- fast (throttle). Recipients and their delivery state are rows of outbound_message (V10): every counter on a
-- campaign page is derived from there, so every replica shows the same numbers.

-- Reusable header and footer around a campaign's body.
CREATE TABLE campaign_layout (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    header_html MEDIUMTEXT   NOT NULL,
    footer_html MEDIUMTEXT   NOT NULL,
    header_text TEXT         NULL,
    footer_text TEXT         NULL,
    created_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT uq_campaign_layout_name UNIQUE (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE campaign (
    id                BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name              VARCHAR(200)  NOT NULL,
    subject           VARCHAR(998)  NOT NULL,
    from_email        VARCHAR(320)  NOT NULL,
    from_name         VARCHAR(200)  NULL,
    reply_to          VARCHAR(320)  NULL,
    html              MEDIUMTEXT    NOT NULL,
    text              MEDIUMTEXT    NULL,
    layout_id         BIGINT        NULL,
    -- {"attribute": "value", ...}: every pair must match the subscriber's attributes
    attribute_filter  JSON          NULL,
    status            VARCHAR(10)   NOT NULL DEFAULT 'draft',
    send_at           TIMESTAMP(6)  NULL,
    started_at        TIMESTAMP(6)  NULL,
    started_late      BOOLEAN       NOT NULL DEFAULT FALSE,
    finished_at       TIMESTAMP(6)  NULL,
    pause_reason      VARCHAR(500)  NULL,
    -- throttle: messages per hour, a sending window, a warm-up daily cap (start * factor ^ day)
    per_hour          INT           NULL,
    window_days       VARCHAR(30)   NULL,
    window_start      TIME          NULL,
    window_end        TIME          NULL,
    time_zone         VARCHAR(64)   NOT NULL DEFAULT 'UTC',
    warmup_start      INT           NULL,
    warmup_factor     DECIMAL(6, 3) NULL,
    -- release bookkeeping of a throttled campaign (token bucket, messages released on the current day)
    release_credit    DOUBLE        NOT NULL DEFAULT 0,
    last_release_at   TIMESTAMP(6)  NULL,
    released_day      DATE          NULL,
    released_on_day   INT           NOT NULL DEFAULT 0,
    created_by        VARCHAR(320)  NULL,
    created_at        TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at        TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT fk_campaign_layout FOREIGN KEY (layout_id) REFERENCES campaign_layout (id),
    CONSTRAINT ck_campaign_status CHECK (status IN
        ('draft', 'scheduled', 'running', 'paused', 'finished', 'cancelled')),
    CONSTRAINT ck_campaign_filter CHECK (attribute_filter IS NULL OR JSON_VALID(attribute_filter)),
    CONSTRAINT ck_campaign_per_hour CHECK (per_hour IS NULL OR per_hour > 0),
    CONSTRAINT ck_campaign_warmup CHECK (warmup_start IS NULL OR (warmup_start > 0 AND warmup_factor >= 1))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_campaign_status ON campaign (status, id);

CREATE TABLE campaign_list (
    campaign_id BIGINT NOT NULL,
    list_id     BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, list_id),
    CONSTRAINT fk_campaign_list_campaign FOREIGN KEY (campaign_id) REFERENCES campaign (id) ON DELETE CASCADE,
    CONSTRAINT fk_campaign_list_list FOREIGN KEY (list_id) REFERENCES mailing_list (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The release query of throttled and paused campaigns: held rows (next_attempt_at NULL) of one campaign in id order.
CREATE INDEX ix_outbound_campaign_held ON outbound_message (campaign_id, state, next_attempt_at, id);
