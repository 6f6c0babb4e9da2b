package io.carteiro.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;

/** Turns a claimed row and its content into the bytes on the wire: composed, signed, with its return path. */
@ApplicationScoped
class MessagePreparer {

    /** A message ready for the wire. */
    record Prepared(OutboundRow row, String messageId, String returnPath, byte[] bytes) {
    }

    @Inject
    MessageSigner signer;
    @Inject
    VerpAddress verp;
    @Inject
    Clock clock;

    /** Composes and signs; throws when the content cannot make a message (a template or header fault). */
    Prepared prepare(OutboundRow row, RenderedMessage content) {
        String messageId = messageIdOf(row);
        MessageComposer.Composed composed = MessageComposer.compose(row, content, messageId, clock.instant());
        byte[] bytes = signer.sign(row.sender(), composed).toBytes();
        return new Prepared(row, messageId, verp.returnPath(row.id()), bytes);
    }

    /** The row's Message-ID, or the one the engine gives a row that has none. */
    static String messageIdOf(OutboundRow row) {
        if (row.messageId() != null) {
            return row.messageId();
        }
        String domain = row.sender().substring(row.sender().lastIndexOf('@') + 1);
        return "<" + Long.toString(row.id(), 36) + "." + Long.toString(row.createdAt().toEpochMilli(), 36)
                + "@" + domain + ">";
    }
}
