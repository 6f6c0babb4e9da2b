-- Times become DATETIME(6) holding UTC: a TIMESTAMP ends on 2038-01-19 03:14:07 UTC, so a campaign scheduled
-- for 2040, a retry or lease beyond that date, or a subscription's evidence kept for decades could not be stored.
-- The connection pins its session to UTC (forceConnectionTimeZoneToSession), so CURRENT_TIMESTAMP(6) defaults
-- and NOW(6) in queries are UTC too. The conversion below reads each TIMESTAMP in the session's zone, hence the
-- zone is set to UTC first: stored instants keep their value. Each table is rebuilt once (all its columns in one
-- ALTER). Quartz's tables keep times as BIGINT milliseconds and need nothing. On servers older than 10.10
-- (explicit_defaults_for_timestamp off) the first TIMESTAMP NOT NULL column of a table without a default was
-- silently given DEFAULT/ON UPDATE CURRENT_TIMESTAMP, so such rows changed their time at every update; the
-- definitions below are the intended ones and end that.
SET time_zone = '+00:00';

ALTER TABLE admin_user
    MODIFY created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);

ALTER TABLE sign_in_throttle
    MODIFY window_started DATETIME(6) NOT NULL,
    MODIFY locked_until DATETIME(6) NULL;

ALTER TABLE mailing_list
    MODIFY created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    MODIFY updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);

ALTER TABLE consent_text
    MODIFY created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);

ALTER TABLE subscriber
    MODIFY created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    MODIFY updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);

ALTER TABLE subscription
    MODIFY subscribed_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    MODIFY confirmed_at DATETIME(6) NULL,
    MODIFY unsubscribed_at DATETIME(6) NULL,
    MODIFY updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);

ALTER TABLE consent_event
    MODIFY occurred_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);

ALTER TABLE suppression
    MODIFY created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);

ALTER TABLE import_job
    MODIFY created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    MODIFY started_at DATETIME(6) NULL,
    MODIFY finished_at DATETIME(6) NULL,
    MODIFY lease_until DATETIME(6) NULL;

ALTER TABLE outbound_message
    MODIFY next_attempt_at DATETIME(6) NULL DEFAULT CURRENT_TIMESTAMP(6),
    MODIFY expires_at DATETIME(6) NULL,
    MODIFY lease_until DATETIME(6) NULL,
    MODIFY created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    MODIFY sent_at DATETIME(6) NULL;

ALTER TABLE delivery_attempt
    MODIFY attempted_at DATETIME(6) NOT NULL;

ALTER TABLE dkim_key
    MODIFY created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);

ALTER TABLE public_form_throttle
    MODIFY window_started DATETIME(6) NOT NULL;

ALTER TABLE bounce
    MODIFY received_at DATETIME(6) NOT NULL;

ALTER TABLE inbound_unparsed
    MODIFY received_at DATETIME(6) NOT NULL;

ALTER TABLE inbound_seen
    MODIFY seen_at DATETIME(6) NOT NULL;

ALTER TABLE campaign_layout
    MODIFY created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    MODIFY updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);

ALTER TABLE campaign
    MODIFY send_at DATETIME(6) NULL,
    MODIFY started_at DATETIME(6) NULL,
    MODIFY finished_at DATETIME(6) NULL,
    MODIFY last_release_at DATETIME(6) NULL,
    MODIFY created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    MODIFY updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);
