-- Foundation schema: admin accounts, lists with versioned consent texts, subscribers, subscriptions with their
-- consent evidence, the append-only consent log, the suppression list, CSV imports and settings.
-- Times are UTC, TIMESTAMP(6) so fractions survive; text is utf8mb4.

CREATE TABLE admin_user (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email         VARCHAR(320) NOT NULL,
    password_hash VARCHAR(100) NOT NULL,
    role          VARCHAR(20)  NOT NULL DEFAULT 'admin',
    time_zone     VARCHAR(64)  NOT NULL DEFAULT 'UTC',
    created_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT uq_admin_user_email UNIQUE (email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Failed sign-ins per key (account or IP) inside the current window; shared by all replicas.
CREATE TABLE sign_in_throttle (
    throttle_key   VARCHAR(400) NOT NULL PRIMARY KEY,
    failures       INT          NOT NULL,
    window_started TIMESTAMP(6) NOT NULL,
    locked_until   TIMESTAMP(6) NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE app_setting (
    name  VARCHAR(100) NOT NULL PRIMARY KEY,
    value TEXT         NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE mailing_list (
    id                   BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name                 VARCHAR(200)  NOT NULL,
    description          VARCHAR(2000) NULL,
    opt_in               VARCHAR(10)   NOT NULL DEFAULT 'double',
    from_email           VARCHAR(320)  NULL,
    from_name            VARCHAR(200)  NULL,
    reply_to             VARCHAR(320)  NULL,
    public_form          BOOLEAN       NOT NULL DEFAULT FALSE,
    consent_text_version INT           NULL,
    created_at           TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at           TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT ck_mailing_list_opt_in CHECK (opt_in IN ('single', 'double'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Every version of a list's consent text. No foreign key to mailing_list: evidence outlives the list.
CREATE TABLE consent_text (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    list_id    BIGINT       NOT NULL,
    version    INT          NOT NULL,
    body       TEXT         NOT NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    created_by VARCHAR(320) NULL,
    CONSTRAINT uq_consent_text_version UNIQUE (list_id, version)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- email is stored as given (domain in A-label form); email_key is its lower-case form, the identity.
CREATE TABLE subscriber (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email      VARCHAR(320) NOT NULL,
    email_key  VARCHAR(320) NOT NULL,
    domain     VARCHAR(255) NOT NULL,
    name       VARCHAR(200) NULL,
    attributes JSON         NULL,
    status     VARCHAR(12)  NOT NULL DEFAULT 'active',
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT uq_subscriber_email_key UNIQUE (email_key),
    CONSTRAINT ck_subscriber_status CHECK (status IN ('active', 'blocklisted', 'bounced', 'complained')),
    CONSTRAINT ck_subscriber_attributes CHECK (attributes IS NULL OR JSON_VALID(attributes))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX ix_subscriber_domain ON subscriber (domain, id);
CREATE INDEX ix_subscriber_status ON subscriber (status, id);
CREATE INDEX ix_subscriber_name ON subscriber (name, id);

-- A subscriber on a list, with the evidence of how the subscription came about.
CREATE TABLE subscription (
    list_id            BIGINT        NOT NULL,
    subscriber_id      BIGINT        NOT NULL,
    status             VARCHAR(12)   NOT NULL,
    source             VARCHAR(10)   NOT NULL,
    subscribed_at      TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    ip                 VARCHAR(45)   NULL,
    user_agent         VARCHAR(500)  NULL,
    consent_text_id    BIGINT        NULL,
    legal_basis        VARCHAR(200)  NULL,
    page               VARCHAR(1000) NULL,
    confirmed_at       TIMESTAMP(6)  NULL,
    confirm_ip         VARCHAR(45)   NULL,
    confirm_user_agent VARCHAR(500)  NULL,
    unsubscribed_at    TIMESTAMP(6)  NULL,
    unsubscribe_method VARCHAR(20)   NULL,
    updated_at         TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (list_id, subscriber_id),
    CONSTRAINT fk_subscription_list FOREIGN KEY (list_id) REFERENCES mailing_list (id) ON DELETE CASCADE,
    CONSTRAINT fk_subscription_subscriber FOREIGN KEY (subscriber_id) REFERENCES subscriber (id) ON DELETE CASCADE,
    CONSTRAINT ck_subscription_status CHECK (status IN ('unconfirmed', 'confirmed', 'unsubscribed')),
    CONSTRAINT ck_subscription_source CHECK (source IN ('admin', 'import', 'api', 'form'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_subscription_subscriber ON subscription (subscriber_id);
CREATE INDEX ix_subscription_list_status ON subscription (list_id, status, subscriber_id);

-- Append-only audit trail of consent. Rows are removed only by erasure (GDPR Art. 17), never updated.
-- list_name is copied so the trail still reads after a list is deleted.
CREATE TABLE consent_event (
    id              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    subscriber_id   BIGINT        NOT NULL,
    list_id         BIGINT        NULL,
    list_name       VARCHAR(200)  NULL,
    event           VARCHAR(20)   NOT NULL,
    source          VARCHAR(10)   NOT NULL,
    occurred_at     TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    ip              VARCHAR(45)   NULL,
    user_agent      VARCHAR(500)  NULL,
    consent_text_id BIGINT        NULL,
    legal_basis     VARCHAR(200)  NULL,
    actor           VARCHAR(320)  NULL,
    detail          VARCHAR(1000) NULL,
    bounce_id       BIGINT        NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_consent_event_subscriber ON consent_event (subscriber_id, id);


-- Addresses, domains and erased-address hashes that are never mailed or re-imported.
CREATE TABLE suppression (
    id         BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind       VARCHAR(10)   NOT NULL,
    value      VARCHAR(320)  NOT NULL,
    reason     VARCHAR(20)   NOT NULL,
    detail     VARCHAR(1000) NULL,
    created_at TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT uq_suppression UNIQUE (kind, value),
    CONSTRAINT ck_suppression_kind CHECK (kind IN ('address', 'domain', 'erased'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A CSV import: the uploaded file is kept on disk until the job has run.
CREATE TABLE import_job (
    id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    list_id      BIGINT        NULL,
    mode         VARCHAR(10)   NOT NULL,
    state        VARCHAR(10)   NOT NULL DEFAULT 'queued',
    file_name    VARCHAR(255)  NULL,
    file_path    VARCHAR(1000) NULL,
    charset      VARCHAR(20)   NOT NULL DEFAULT 'UTF-8',
    separator_char CHAR(1)     NULL,
    mapping      JSON          NULL,
    legal_basis  VARCHAR(200)  NULL,
    bytes_total  BIGINT        NOT NULL DEFAULT 0,
    bytes_read   BIGINT        NOT NULL DEFAULT 0,
    rows_read    BIGINT        NOT NULL DEFAULT 0,
    rows_added   BIGINT        NOT NULL DEFAULT 0,
    rows_updated BIGINT        NOT NULL DEFAULT 0,
    rows_skipped BIGINT        NOT NULL DEFAULT 0,
    rows_failed  BIGINT        NOT NULL DEFAULT 0,
    error        VARCHAR(1000) NULL,
    created_by   VARCHAR(320)  NULL,
    created_at   TIMESTAMP(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    started_at   TIMESTAMP(6)  NULL,
    finished_at  TIMESTAMP(6)  NULL,
    lease_owner  VARCHAR(100)  NULL,
    lease_until  TIMESTAMP(6)  NULL,
    CONSTRAINT ck_import_job_mode CHECK (mode IN ('subscribe', 'blocklist')),
    CONSTRAINT ck_import_job_state CHECK (state IN ('queued', 'running', 'done', 'failed'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE import_error (
    import_id   BIGINT        NOT NULL,
    row_no      BIGINT        NOT NULL,
    column_name VARCHAR(200)  NULL,
    reason      VARCHAR(500)  NOT NULL,
    PRIMARY KEY (import_id, row_no),
    CONSTRAINT fk_import_error_job FOREIGN KEY (import_id) REFERENCES import_job (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
