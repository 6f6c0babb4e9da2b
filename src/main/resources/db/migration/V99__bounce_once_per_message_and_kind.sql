-- A bounce counts once per outbound message and kind (issue 18.5): a second DSN about the same message, or the
-- engine recording an outcome again after a batch was retried, must not count twice toward the rules. The unique
-- key enforces it; repeats that earlier versions recorded stay as evidence, numbered 1, 2, … in repeat_no, and
-- only the first of each (repeat_no 0) takes part in the key.
ALTER TABLE bounce ADD COLUMN repeat_no SMALLINT NOT NULL DEFAULT 0;

UPDATE bounce b
JOIN (SELECT id, ROW_NUMBER() OVER (PARTITION BY outbound_message_id, kind ORDER BY id) - 1 AS n
      FROM bounce WHERE outbound_message_id IS NOT NULL) r ON r.id = b.id
SET b.repeat_no = r.n
WHERE r.n > 0;

DROP INDEX ix_bounce_message ON bounce;
CREATE UNIQUE INDEX uq_bounce_message_kind ON bounce (outbound_message_id, kind, repeat_no);

-- "Action: delayed" reports are warnings, recorded as kind 'delayed' in the log and never counted (issue 14.4).
ALTER TABLE bounce DROP CONSTRAINT ck_bounce_kind;
ALTER TABLE bounce ADD CONSTRAINT ck_bounce_kind CHECK (kind IN ('hard', 'soft', 'complaint', 'blocked', 'delayed'));

-- Messages kept for review have a total size cap: their sizes are summed from this small index, not the rows.
CREATE INDEX ix_inbound_unparsed_size ON inbound_unparsed (size_bytes);
