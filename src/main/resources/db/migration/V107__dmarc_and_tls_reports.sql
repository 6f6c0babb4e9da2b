-- Reports receivers send about the sending domains (issue 17.3), written only by the deliverability package:
--  * DMARC aggregate reports (RFC 7489 §7.2): one row per report and one per <record> (source address, count,
--    evaluated DKIM / SPF alignment, disposition, the raw auth results), so the desk can sum them per reporting
--    organisation and per source address. A report is stored once per (organisation, report id): reporters resend.
--  * TLS-RPT reports (RFC 8460): per report, per policy, and per failure detail.
--  * Refused reports (malformed, oversized, an XML DOCTYPE, a zip bomb): what arrived and why it was refused, never
--    its content.
-- Times are DATETIME(6) in UTC.
CREATE TABLE dmarc_report (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    org_name       VARCHAR(255) NOT NULL,
    report_id      VARCHAR(255) NOT NULL,
    org_email      VARCHAR(320) NULL,
    domain         VARCHAR(253) NOT NULL,
    date_begin     DATETIME(6)  NOT NULL,
    date_end       DATETIME(6)  NOT NULL,
    policy         VARCHAR(10)  NULL,
    sub_policy     VARCHAR(10)  NULL,
    percent        SMALLINT     NULL,
    adkim          CHAR(1)      NULL,
    aspf           CHAR(1)      NULL,
    -- sums over the records: all messages, and those that passed DMARC (aligned DKIM or aligned SPF)
    messages       BIGINT       NOT NULL,
    aligned_pass   BIGINT       NOT NULL,
    channel        VARCHAR(10)  NOT NULL,
    received_at    DATETIME(6)  NOT NULL,
    CONSTRAINT uq_dmarc_report UNIQUE (org_name, report_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_dmarc_report_domain ON dmarc_report (domain, date_end);
CREATE INDEX ix_dmarc_report_end ON dmarc_report (date_end);

CREATE TABLE dmarc_report_row (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    report_id     BIGINT       NOT NULL,
    source_ip     VARCHAR(45)  NOT NULL,
    messages      BIGINT       NOT NULL,
    disposition   VARCHAR(10)  NOT NULL,
    -- policy_evaluated: pass / fail (alignment and authentication together)
    dkim          VARCHAR(4)   NOT NULL,
    spf           VARCHAR(4)   NOT NULL,
    header_from   VARCHAR(253) NOT NULL,
    envelope_from VARCHAR(253) NULL,
    -- auth_results: domain=result pairs as reported (the first DKIM signature and the SPF check)
    dkim_domain   VARCHAR(253) NULL,
    dkim_result   VARCHAR(10)  NULL,
    spf_domain    VARCHAR(253) NULL,
    spf_result    VARCHAR(10)  NULL,
    reasons       VARCHAR(500) NULL,
    CONSTRAINT fk_dmarc_report_row_report FOREIGN KEY (report_id) REFERENCES dmarc_report (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_dmarc_report_row_report ON dmarc_report_row (report_id);
CREATE INDEX ix_dmarc_report_row_source ON dmarc_report_row (source_ip);

CREATE TABLE tls_report (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    org_name     VARCHAR(255) NOT NULL,
    report_id    VARCHAR(255) NOT NULL,
    contact      VARCHAR(320) NULL,
    date_begin   DATETIME(6)  NOT NULL,
    date_end     DATETIME(6)  NOT NULL,
    successful   BIGINT       NOT NULL,
    failed       BIGINT       NOT NULL,
    channel      VARCHAR(10)  NOT NULL,
    received_at  DATETIME(6)  NOT NULL,
    CONSTRAINT uq_tls_report UNIQUE (org_name, report_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_tls_report_end ON tls_report (date_end);

CREATE TABLE tls_report_policy (
    id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    report_id     BIGINT        NOT NULL,
    policy_type   VARCHAR(16)   NOT NULL,
    policy_domain VARCHAR(253)  NOT NULL,
    mx_hosts      VARCHAR(1000) NULL,
    successful    BIGINT        NOT NULL,
    failed        BIGINT        NOT NULL,
    CONSTRAINT fk_tls_report_policy_report FOREIGN KEY (report_id) REFERENCES tls_report (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE tls_report_failure (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    policy_id    BIGINT       NOT NULL,
    result_type  VARCHAR(40)  NOT NULL,
    sending_ip   VARCHAR(45)  NULL,
    receiving_mx VARCHAR(253) NULL,
    receiving_ip VARCHAR(45)  NULL,
    sessions     BIGINT       NOT NULL,
    detail       VARCHAR(500) NULL,
    CONSTRAINT fk_tls_report_failure_policy FOREIGN KEY (policy_id) REFERENCES tls_report_policy (id)
        ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE report_refusal (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind        VARCHAR(6)   NOT NULL,
    channel     VARCHAR(10)  NOT NULL,
    mail_from   VARCHAR(320) NULL,
    size_bytes  INT          NOT NULL,
    reason      VARCHAR(500) NOT NULL,
    received_at DATETIME(6)  NOT NULL,
    CONSTRAINT ck_report_refusal_kind CHECK (kind IN ('dmarc', 'tlsrpt'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE INDEX ix_report_refusal_received ON report_refusal (received_at);
