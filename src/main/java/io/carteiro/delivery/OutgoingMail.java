package io.carteiro.delivery;

import java.util.Map;

/**
 * One transactional message to queue (a double opt-in confirmation, a test send, a message from the API).
 *
 * @param from          header From (and, unless overridden, the sending domain for DKIM)
 * @param to            the single recipient
 * @param headers       extra headers passed through unchanged (List-Unsubscribe, Feedback-ID, ...); values must
 *                      not hold CR or LF
 * @param subscriberId  the subscriber this message is for, when known (lets an unsubscribe cancel it)
 * @param listId        the list this message is about, when known
 */
public record OutgoingMail(String from, String to, String subject, String html, String text,
                           Map<String, String> headers, Long subscriberId, Long listId) {
}
