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
    @Inject
    MessageIds messageIds;

    /** Composes and signs; throws when the content cannot make a message (a template or header fault). */
    Prepared prepare(OutboundRow row, RenderedMessage content) {
        String messageId = messageIdOf(row);
        MessageComposer.Composed composed = MessageComposer.compose(row, content, messageId, clock.instant());
        byte[] bytes = signer.sign(row.sender(), composed).toBytes();
        return new Prepared(row, messageId, verp.returnPath(row.id()), bytes);
    }

    /** The row's Message-ID, or the signed one the engine gives a row that has none. */
    String messageIdOf(OutboundRow row) {
        return messageIds.messageIdOf(row);
    }
}
