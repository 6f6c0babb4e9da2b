package io.carteiro.campaigns;

import java.util.Map;

/**
 * One campaign message for one recipient, ready to be assembled into MIME and signed.
 *
 * @param from    the From header ({@code "Name" <address>} or a bare address)
 * @param headers further headers, in order: Reply-To, List-Unsubscribe, List-Unsubscribe-Post, List-Id,
 *                Feedback-ID; no value holds CR or LF
 */
public record RenderedMessage(String from, String to, String subject, String html, String text,
                              Map<String, String> headers) {
}
