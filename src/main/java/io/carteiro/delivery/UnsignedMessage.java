package io.carteiro.delivery;

import java.time.Instant;

/**
 * A message as the engine writes it, before it is signed: for checks that read the whole message (the desk's content
 * score), so that they see the same headers and MIME the recipient's exchanger will.
 */
public final class UnsignedMessage {

    private UnsignedMessage() {
    }

    /** The RFC 5322 bytes (CRLF line ends); throws IllegalArgumentException when the content cannot make a message. */
    public static byte[] bytes(RenderedMessage content, String recipient, String messageId, Instant date) {
        return MessageComposer.compose(recipient, content, messageId, date).toBytes();
    }
}
