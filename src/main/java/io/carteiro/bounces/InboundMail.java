package io.carteiro.bounces;

import java.util.Locale;

/**
 * One message that arrived for the bounce domain, by the listener or from the mailbox.
 *
 * @param mailFrom the envelope sender (empty for a bounce), when known
 * @param rcptTo   the envelope recipient (a VERP return path, the unsubscribe address), when known
 * @param seenKey  a key that identifies this message across runs (mailbox UID); null when there is none
 */
record InboundMail(RawMessage raw, String mailFrom, String rcptTo, Channel channel, String seenKey) {

    /** How the message reached us. */
    enum Channel {
        LISTENER, MAILBOX;

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
