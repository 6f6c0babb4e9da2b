-- The delivery engine's state shared by replicas and kept across restarts (issue 13):
--  * delivery_instance: one row per running engine with its heartbeat (database clock, UTC). Claims of an instance
--    silent for carteiro.delivery.instance-timeout are released to the others, so a crash delays mail by seconds
--    instead of the lease; the live count is how each instance takes its share of the shaping limits.
--  * destination_suspension: a destination suspended after many temporary failures stays suspended for every
--    instance and after a restart.
--  * delivery_attempt.command: which command a reply answered (MAIL FROM, RCPT TO, DATA, end of DATA, or the session
--    phase), as Postfix says "in reply to ... command"; a pipelined 421 to MAIL is no longer "lost during RCPT".
--  * delivery_attempt.outcome 'expired': a message given up after its retry period (a soft bounce), apart from
--    'failed' (Carteiro's own fault, never counted against the subscriber).
-- Times are DATETIME(6) in UTC.

CREATE TABLE delivery_instance (
    id           VARCHAR(100) NOT NULL PRIMARY KEY,
    host         VARCHAR(255) NOT NULL,
    pid          BIGINT       NOT NULL,
    started_at   DATETIME(6)  NOT NULL,
    heartbeat_at DATETIME(6)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE destination_suspension (
    destination     VARCHAR(300)  NOT NULL PRIMARY KEY,
    suspended_until DATETIME(6)   NOT NULL,
    reason          VARCHAR(1000) NULL,
    created_at      DATETIME(6)   NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

ALTER TABLE delivery_attempt ADD COLUMN command VARCHAR(40) NULL AFTER reply;

ALTER TABLE delivery_attempt DROP CONSTRAINT ck_delivery_attempt_outcome;
ALTER TABLE delivery_attempt ADD CONSTRAINT ck_delivery_attempt_outcome CHECK (outcome IN
    ('delivered', 'deferred', 'bounced', 'blocked', 'expired', 'failed'));
