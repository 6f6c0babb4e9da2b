-- Issue 16: click and open tracking. Written only by the engagement package.
--
-- The request path writes one narrow row per hit (engagement_pending) in group commits, and nothing else: a
-- hit is classified person or machine only once the hits around it are known (a scanner's HEAD before its GET,
-- every link of a message within a second or two, the decoy link), so a settle step moves each hit to
-- engagement_hit with its verdict and reason some seconds later, and in the same transaction adds it to the
-- counters the report reads (campaign_engagement, tracked_link, campaign_domain_stat, campaign_timeline). The
-- report of a 1M-recipient campaign reads a few hundred counter rows, never the hits.
--
-- A recipient is (anonymous, recipient_key): the subscriber id on lists tracked per subscriber, or a random
-- number drawn for that one message on lists tracked in aggregate, which nothing links to a subscriber.
-- No foreign keys to other features' tables: counters outlive deleted campaigns and erased subscribers.

-- The links of a campaign that are tracked, numbered from 1 in order of first appearance; 0 is the decoy link.
CREATE TABLE tracked_link (
    campaign_id    BIGINT        NOT NULL,
    link_no        INT           NOT NULL,
    url            VARCHAR(2048) NOT NULL,
    human_clicks   BIGINT        NOT NULL DEFAULT 0,
    machine_clicks BIGINT        NOT NULL DEFAULT 0,
    -- recipients with at least one human click on this link
    unique_human   BIGINT        NOT NULL DEFAULT 0,
    created_at     DATETIME(6)   NOT NULL,
    PRIMARY KEY (campaign_id, link_no),
    CONSTRAINT ck_tracked_link_no CHECK (link_no > 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Optional UTM parameters a campaign adds to the target of every tracked link.
CREATE TABLE campaign_utm (
    campaign_id  BIGINT       NOT NULL PRIMARY KEY,
    utm_source   VARCHAR(100) NULL,
    utm_medium   VARCHAR(100) NULL,
    utm_campaign VARCHAR(200) NULL,
    updated_at   DATETIME(6)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Hits not yet classified. kind: 1 click, 2 open. signals: what the request itself said (HEAD, a scanner's user
-- agent or address, a prefetch header, a privacy proxy), as bits of engagement.HitSignals; neither the address
-- nor the user agent is stored.
CREATE TABLE engagement_pending (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id   BIGINT       NOT NULL,
    list_id       BIGINT       NOT NULL,
    kind          TINYINT      NOT NULL,
    link_no       INT          NOT NULL,
    anonymous     BOOLEAN      NOT NULL,
    recipient_key BIGINT       NOT NULL,
    domain        VARCHAR(255) NOT NULL,
    sent_at       DATETIME(6)  NOT NULL,
    at            DATETIME(6)  NOT NULL,
    signals       INT          NOT NULL,
    CONSTRAINT ck_engagement_pending_kind CHECK (kind IN (1, 2))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ix_engagement_pending_at ON engagement_pending (at);
CREATE INDEX ix_engagement_pending_recipient ON engagement_pending (campaign_id, anonymous, recipient_key, at);

-- Classified hits. subscriber_id is set only on lists tracked per subscriber (the subscriber's page, erasure).
CREATE TABLE engagement_hit (
    id            BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id   BIGINT      NOT NULL,
    list_id       BIGINT      NOT NULL,
    kind          TINYINT     NOT NULL,
    link_no       INT         NOT NULL,
    anonymous     BOOLEAN     NOT NULL,
    recipient_key BIGINT      NOT NULL,
    subscriber_id BIGINT      NULL,
    at            DATETIME(6) NOT NULL,
    signals       INT         NOT NULL,
    human         BOOLEAN     NOT NULL,
    reason        VARCHAR(20) NOT NULL,
    CONSTRAINT ck_engagement_hit_kind CHECK (kind IN (1, 2))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ix_engagement_hit_recipient ON engagement_hit (campaign_id, anonymous, recipient_key, at);
CREATE INDEX ix_engagement_hit_subscriber ON engagement_hit (subscriber_id, at);
CREATE INDEX ix_engagement_hit_at ON engagement_hit (at);

-- One row per recipient who engaged with a campaign at all, so unique counts are exact: human_links has bit n set
-- when a person clicked link n (unique clicks per link).
CREATE TABLE engagement_recipient (
    campaign_id    BIGINT         NOT NULL,
    anonymous      BOOLEAN        NOT NULL,
    recipient_key  BIGINT         NOT NULL,
    subscriber_id  BIGINT         NULL,
    human_clicks   INT            NOT NULL DEFAULT 0,
    machine_clicks INT            NOT NULL DEFAULT 0,
    human_opens    INT            NOT NULL DEFAULT 0,
    machine_opens  INT            NOT NULL DEFAULT 0,
    human_links    VARBINARY(128) NULL,
    first_human_at DATETIME(6)    NULL,
    PRIMARY KEY (campaign_id, anonymous, recipient_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ix_engagement_recipient_subscriber ON engagement_recipient (subscriber_id);

-- A campaign's engagement totals. unique_human_openers counts recipients with a human open or a human click (a
-- click proves the message was opened, whether or not its images were loaded).
CREATE TABLE campaign_engagement (
    campaign_id          BIGINT NOT NULL PRIMARY KEY,
    human_clicks         BIGINT NOT NULL DEFAULT 0,
    machine_clicks       BIGINT NOT NULL DEFAULT 0,
    unique_human_clicks  BIGINT NOT NULL DEFAULT 0,
    human_opens          BIGINT NOT NULL DEFAULT 0,
    machine_opens        BIGINT NOT NULL DEFAULT 0,
    unique_human_opens   BIGINT NOT NULL DEFAULT 0
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Unsubscribes from a campaign's messages (link, one-click, mailto:), counted by the report. An append-only row per
-- subscription rather than a counter: one-click unsubscribes arrive in bursts and would all wait on one hot row.
CREATE TABLE campaign_unsubscribe (
    campaign_id     BIGINT      NOT NULL,
    list_id         BIGINT      NOT NULL,
    subscriber_id   BIGINT      NOT NULL,
    unsubscribed_at DATETIME(6) NOT NULL,
    PRIMARY KEY (campaign_id, list_id, subscriber_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ix_campaign_unsubscribe_subscriber ON campaign_unsubscribe (subscriber_id);

-- Per recipient domain of a campaign: final delivery outcomes (counted by a delivery outcome listener in the
-- engine's own transaction) and engagement, so a provider that blocks or bins the mail stands out.
CREATE TABLE campaign_domain_stat (
    campaign_id    BIGINT       NOT NULL,
    domain         VARCHAR(255) NOT NULL,
    delivered      BIGINT       NOT NULL DEFAULT 0,
    bounced        BIGINT       NOT NULL DEFAULT 0,
    blocked        BIGINT       NOT NULL DEFAULT 0,
    failed         BIGINT       NOT NULL DEFAULT 0,
    human_clicks   BIGINT       NOT NULL DEFAULT 0,
    machine_clicks BIGINT       NOT NULL DEFAULT 0,
    human_opens    BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, domain)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Per hour (UTC, truncated) of a campaign: deliveries and engagement, for the report's timeline.
CREATE TABLE campaign_timeline (
    campaign_id    BIGINT      NOT NULL,
    hour           DATETIME(6) NOT NULL,
    delivered      BIGINT      NOT NULL DEFAULT 0,
    human_clicks   BIGINT      NOT NULL DEFAULT 0,
    machine_clicks BIGINT      NOT NULL DEFAULT 0,
    human_opens    BIGINT      NOT NULL DEFAULT 0,
    machine_opens  BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, hour)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Per subscription on lists tracked per subscriber: when campaign mail was first and last delivered, how many
-- campaign messages were delivered since the last human engagement, and when the subscriber last clicked or
-- opened as a person. Segments, list health and the sunset rule read it.
CREATE TABLE subscription_engagement (
    list_id               BIGINT      NOT NULL,
    subscriber_id         BIGINT      NOT NULL,
    first_delivered_at    DATETIME(6) NULL,
    last_delivered_at     DATETIME(6) NULL,
    delivered_since_human INT         NOT NULL DEFAULT 0,
    last_human_click_at   DATETIME(6) NULL,
    last_human_open_at    DATETIME(6) NULL,
    last_human_at         DATETIME(6) NULL,
    PRIMARY KEY (list_id, subscriber_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ix_subscription_engagement_subscriber ON subscription_engagement (subscriber_id);
CREATE INDEX ix_subscription_engagement_human ON subscription_engagement (list_id, last_human_at);

-- One row: the settle step locks it (FOR UPDATE SKIP LOCKED), so one replica settles at a time.
CREATE TABLE engagement_settle_lock (
    id         TINYINT     NOT NULL PRIMARY KEY,
    settled_at DATETIME(6) NULL
) ENGINE = InnoDB;

INSERT INTO engagement_settle_lock (id) VALUES (1);

-- Campaigns sent before this migration: their delivery outcomes per domain, from the queue, so their reports are
-- complete; from now on the outcome listener counts.
INSERT INTO campaign_domain_stat (campaign_id, domain, delivered, bounced, failed)
SELECT campaign_id, recipient_domain, SUM(state = 'sent'), SUM(state = 'bounced'), SUM(state = 'failed')
FROM outbound_message
WHERE campaign_id IS NOT NULL AND state IN ('sent', 'bounced', 'failed')
GROUP BY campaign_id, recipient_domain;
