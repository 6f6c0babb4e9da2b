-- Issue 16.6 and 16.1: list hygiene (the sunset rule), saved engagement segments, and a switch for UTM parameters.
--
-- The sunset rule is a list's setting, off by default, written only by the lists package: subscribers with no human
-- engagement for sunset_months get the list's re-engagement campaign (sunset_campaign_id, one the owner wrote or
-- picked), then, with still none after sunset_grace_days, are unsubscribed with a consent event of kind 'inactive'.
ALTER TABLE mailing_list
    ADD COLUMN sunset_enabled BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN sunset_months INT NOT NULL DEFAULT 12,
    ADD COLUMN sunset_grace_days INT NOT NULL DEFAULT 30,
    ADD COLUMN sunset_campaign_id BIGINT NULL,
    ADD CONSTRAINT ck_mailing_list_sunset CHECK (sunset_months BETWEEN 1 AND 120
        AND sunset_grace_days BETWEEN 1 AND 365 AND (sunset_enabled = FALSE OR sunset_campaign_id IS NOT NULL));

-- Who the sunset rule has sent the re-engagement campaign to and is waiting on; written only by the engagement
-- package. last_human_at is their last human engagement when noticed: a newer one in subscription_engagement means
-- they answered, and the row goes. The primary key is what makes a second run of the rule notice (and mail) nobody
-- twice; the unique (campaign, subscriber) key of outbound_message is what makes it mail nobody twice.
CREATE TABLE sunset_notice (
    list_id       BIGINT      NOT NULL,
    subscriber_id BIGINT      NOT NULL,
    campaign_id   BIGINT      NOT NULL,
    noticed_at    DATETIME(6) NOT NULL,
    last_human_at DATETIME(6) NULL,
    PRIMARY KEY (list_id, subscriber_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ix_sunset_notice_subscriber ON sunset_notice (subscriber_id);
CREATE INDEX ix_sunset_notice_due ON sunset_notice (list_id, noticed_at);

-- Saved segments: a name and conditions (JSON, checked by the segments package, the only writer), counted on demand.
CREATE TABLE segment (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    conditions TEXT         NOT NULL,
    created_by VARCHAR(320) NULL,
    created_at DATETIME(6)  NOT NULL,
    updated_at DATETIME(6)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- UTM parameters are added to link targets only while the campaign's owner has them turned on; turning them off
-- keeps the values for later.
ALTER TABLE campaign_utm
    ADD COLUMN enabled BOOLEAN NOT NULL DEFAULT TRUE;
