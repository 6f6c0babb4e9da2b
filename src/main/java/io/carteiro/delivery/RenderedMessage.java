package io.carteiro.delivery;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of one message, ready to be put into MIME: what a {@link MessageContentSource} returns.
 *
 * @param from    the From header, e.g. {@code "Ana Lima <news@example.org>"} (non-ASCII display names are fine)
 * @param subject the subject in plain Unicode (encoded by the engine, RFC 2047)
 * @param html    the HTML part, or null
 * @param text    the plain-text part, or null (at least one of html and text is needed)
 * @param headers extra headers passed through unchanged, in order (List-Unsubscribe, List-Unsubscribe-Post,
 *                List-Id, Feedback-ID, Reply-To, ...); values must not hold CR or LF
 */
public record RenderedMessage(String from, String subject, String html, String text, Map<String, String> headers) {
    public RenderedMessage {
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
}
