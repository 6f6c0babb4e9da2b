-- The delivery engine's durable queue: one row per recipient message, the bodies of transactional messages, and
-- every delivery attempt. No foreign keys to other features' tables: a queued message outlives an erased
-- subscriber's row, and features insert rows in their own transactions and ORM sessions.
--
-- A row is due when next_attempt_at <= now. Claiming sets state 'sending', a lease, and moves next_attempt_at to
-- the lease's end, so a crashed sender's claims become due again by themselves. Final states clear next_attempt_at,
-- which keeps the claim index small and ordered.

CREATE TABLE outbound_message (
    id                   BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id          BIGINT        NULL,
    subscriber_id        BIGINT        NULL,
    list_id              BIGINT        NULL,
    recipient            VARCHAR(320)  NOT NULL,
    recipient_domain     VARCHAR(255)  NOT NULL,
    sender               VARCHAR(320)  NOT NULL,
    state                VARCHAR(10)   NOT NULL DEFAULT 'queued',
    priority             TINYINT       NOT NULL DEFAULT 0,
    attempts             INT           NOT NULL DEFAULT 0,
    next_attempt_at      TIMESTAMP(6)  NULL DEFAULT CURRENT_TIMESTAMP(6),
    expires_at           TIMESTAMP(6)  NULL,
    lease_owner          VARCHAR(100)  NULL,
    lease_until          TIMESTAMP(6)  NULL,
    message_id           VARCHAR(255)  NULL,
    last_code            SMALLINT      NULL,
    last_enhanced_status VARCHAR(16)   NULL,
    last_reply           VARCHAR(1000) NULL,
    last_mx              VARCHAR(255)  NULL,
    created_at           TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    sent_at              TIMESTAMP(6)  NULL,
    CONSTRAINT uq_outbound_campaign_subscriber UNIQUE (campaign_id, subscriber_id),
    CONSTRAINT ck_outbound_state CHECK (state IN
        ('queued', 'sending', 'sent', 'deferred', 'bounced', 'failed', 'cancelled'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ix_outbound_due ON outbound_message (priority, next_attempt_at);
CREATE INDEX ix_outbound_message_id ON outbound_message (message_id);
CREATE INDEX ix_outbound_subscriber ON outbound_message (subscriber_id, state);
CREATE INDEX ix_outbound_campaign_state ON outbound_message (campaign_id, state);
CREATE INDEX ix_outbound_domain_state ON outbound_message (recipient_domain, state);

-- The content of a transactional message (campaign messages are rendered when sent).
CREATE TABLE outbound_content (
    outbound_message_id BIGINT        NOT NULL PRIMARY KEY,
    from_header         VARCHAR(1000) NOT NULL,
    subject             VARCHAR(998)  NOT NULL,
    html                MEDIUMTEXT    NULL,
    text                MEDIUMTEXT    NULL,
    headers             JSON          NULL,
    CONSTRAINT fk_outbound_content_message FOREIGN KEY (outbound_message_id)
        REFERENCES outbound_message (id) ON DELETE CASCADE,
    CONSTRAINT ck_outbound_content_headers CHECK (headers IS NULL OR JSON_VALID(headers))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Every attempt to hand a message to an exchanger (or the reason none could be reached).
CREATE TABLE delivery_attempt (
    id                  BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    outbound_message_id BIGINT        NOT NULL,
    attempted_at        TIMESTAMP(6)  NOT NULL,
    exchanger           VARCHAR(255)  NULL,
    exchanger_ip        VARCHAR(45)   NULL,
    code                SMALLINT      NULL,
    enhanced_status     VARCHAR(16)   NULL,
    reply               VARCHAR(1000) NULL,
    outcome             VARCHAR(10)   NOT NULL,
    tls                 BOOLEAN       NOT NULL DEFAULT FALSE,
    CONSTRAINT fk_delivery_attempt_message FOREIGN KEY (outbound_message_id)
        REFERENCES outbound_message (id) ON DELETE CASCADE,
    CONSTRAINT ck_delivery_attempt_outcome CHECK (outcome IN
        ('delivered', 'deferred', 'bounced', 'blocked', 'failed'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_delivery_attempt_message ON delivery_attempt (outbound_message_id, id);
