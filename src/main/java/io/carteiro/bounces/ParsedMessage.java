package io.carteiro.bounces;

import java.util.List;

/**
 * The parser's verdict on one inbound message: its format and one classification per recipient it reports on.
 *
 * @param reason             why the message is unparsed (null when it was understood)
 * @param reportedReturnPath the envelope sender of the reported message (an ARF report's Original-Mail-From, the
 *                           Return-Path of a DSN's returned headers), which is our VERP address when the report
 *                           arrives at some other address
 */
record ParsedMessage(ReportFormat format, String messageId, String from, String subject,
                     List<Classification> classifications, String reason, String reportedReturnPath) {

    ParsedMessage(ReportFormat format, String messageId, String from, String subject,
                  List<Classification> classifications, String reason) {
        this(format, messageId, from, subject, classifications, reason, null);
    }

    static ParsedMessage unparsed(String messageId, String from, String subject, String reason) {
        return new ParsedMessage(ReportFormat.UNPARSED, messageId, from, subject, List.of(), reason);
    }

    boolean understood() {
        return format != ReportFormat.UNPARSED;
    }
}
