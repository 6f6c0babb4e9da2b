-- MTA-STS (RFC 8461). Policies are cached in the database, not in each process, so that a restart does not forget a
-- recipient domain's `enforce` policy (an attacker who can block the policy fetch could otherwise downgrade the
-- first session after every restart) and so that every replica applies the same policy. Written only by the
-- delivery.mtasts package.
CREATE TABLE mta_sts_policy (
    domain          VARCHAR(253) NOT NULL,
    -- the `id` of the _mta-sts TXT record the policy was fetched under; a different id means a new policy
    policy_id       VARCHAR(32)  NOT NULL,
    mode            VARCHAR(8)   NOT NULL,
    -- the policy's `mx` patterns, one per line
    mx_patterns     TEXT         NOT NULL,
    max_age_seconds INT          NOT NULL,
    fetched_at      DATETIME(6)  NOT NULL,
    expires_at      DATETIME(6)  NOT NULL,
    -- when the TXT record was last looked at (by any replica): the refresh schedule reads it
    checked_at      DATETIME(6)  NOT NULL,
    -- the last failed refresh (the cached policy stays in force until it expires, RFC 8461 §5.1)
    last_error      VARCHAR(500) NULL,
    last_error_at   DATETIME(6)  NULL,
    PRIMARY KEY (domain)
);

-- Failed TLS policy checks per UTC day, the counts that TLS-RPT (RFC 8460 §4) aggregate reports are made of: one
-- row per (day, policy domain, policy type, result type, receiving MX). Counted in memory and added here in batches,
-- so that a domain failing every session does not make every session write a row.
CREATE TABLE tls_policy_failure (
    report_date   DATE         NOT NULL,
    domain        VARCHAR(253) NOT NULL,
    -- RFC 8460 §4.4 policy-type: `sts` here; DANE would add `tlsa`
    policy_type   VARCHAR(16)  NOT NULL,
    -- RFC 8460 §4.3 result-type, e.g. certificate-host-mismatch, sts-policy-fetch-error
    result_type   VARCHAR(40)  NOT NULL,
    -- receiving-mx-hostname; empty for failures of the policy fetch itself
    mx_host       VARCHAR(253) NOT NULL DEFAULT '',
    failures      BIGINT       NOT NULL,
    first_at      DATETIME(6)  NOT NULL,
    last_at       DATETIME(6)  NOT NULL,
    last_detail   VARCHAR(500) NULL,
    PRIMARY KEY (report_date, domain, policy_type, result_type, mx_host)
);
