package io.carteiro.bounces;

/** Which shape of returned message the parser recognised. */
enum ReportFormat {
    /** RFC 3464 multipart/report; report-type=delivery-status. */
    DSN,
    /** RFC 5965 multipart/report; report-type=feedback-report. */
    ARF,
    /** A non-standard plain-text bounce matched by the rule table. */
    PLAIN_TEXT,
    /** An RFC 3834 automatic reply or an out-of-office message. */
    AUTO_REPLY,
    /** Nothing recognisable: kept for review. */
    UNPARSED
}
