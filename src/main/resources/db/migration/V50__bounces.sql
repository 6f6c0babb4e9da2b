-- Bounces and complaints recorded against subscribers, inbound messages nobody could read (kept for review),
-- and the keys of inbound messages already processed (so a mailbox re-read after a crash counts nothing twice).
-- No foreign keys to other features' tables: a bounce is evidence and outlives the message row it names.

CREATE TABLE bounce (
    id                  BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    subscriber_id       BIGINT        NOT NULL,
    outbound_message_id BIGINT        NULL,
    campaign_id         BIGINT        NULL,
    email               VARCHAR(320)  NOT NULL,
    domain              VARCHAR(255)  NOT NULL,
    kind                VARCHAR(10)   NOT NULL,
    source              VARCHAR(10)   NOT NULL,
    status_code         SMALLINT      NULL,
    enhanced_status     VARCHAR(16)   NULL,
    diagnostic          VARCHAR(1000) NULL,
    action              VARCHAR(20)   NOT NULL DEFAULT 'none',
    received_at         TIMESTAMP(6)  NOT NULL,
    CONSTRAINT ck_bounce_kind CHECK (kind IN ('hard', 'soft', 'complaint', 'blocked')),
    CONSTRAINT ck_bounce_source CHECK (source IN ('smtp', 'dsn', 'arf', 'mailbox'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_bounce_subscriber ON bounce (subscriber_id, received_at);
CREATE INDEX ix_bounce_received ON bounce (received_at);
CREATE INDEX ix_bounce_kind ON bounce (kind, received_at);
CREATE INDEX ix_bounce_campaign ON bounce (campaign_id, received_at);
CREATE INDEX ix_bounce_domain ON bounce (domain, received_at);
CREATE INDEX ix_bounce_message ON bounce (outbound_message_id);

-- An inbound message that could not be read or matched to a message we sent, kept whole for review.
CREATE TABLE inbound_unparsed (
    id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    received_at   TIMESTAMP(6)  NOT NULL,
    channel       VARCHAR(10)   NOT NULL,
    mail_from     VARCHAR(320)  NULL,
    rcpt_to       VARCHAR(320)  NULL,
    from_header   VARCHAR(320)  NULL,
    subject       VARCHAR(998)  NULL,
    reason        VARCHAR(500)  NOT NULL,
    size_bytes    INT           NOT NULL,
    raw           LONGBLOB      NOT NULL,
    CONSTRAINT ck_inbound_unparsed_channel CHECK (channel IN ('listener', 'mailbox'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_inbound_unparsed_received ON inbound_unparsed (received_at);

-- Keys (mailbox UIDs / Message-IDs) of inbound messages whose outcome is committed; written in the same
-- transaction as the bounces they produced.
CREATE TABLE inbound_seen (
    seen_key    VARCHAR(500)  NOT NULL PRIMARY KEY,
    seen_at     TIMESTAMP(6)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
