package io.carteiro.bounces;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the bounce feature needs to know about messages the delivery engine sent: which message a signed VERP
 * address or a Message-ID names, and when subscribers last received mail that did not bounce.
 */
interface BouncedMessageLookup {

    /** The outbound message id a VERP return path carries; empty when it is not ours or its token is forged. */
    OptionalLong decodeReturnPath(String address);

    /** The message with this id, when it was sent to a known subscriber. */
    Optional<BouncedMessage> byId(long outboundMessageId);

    /**
     * The message with this RFC 5322 Message-ID (angle brackets or not), when it was sent to a subscriber and the
     * Message-ID cannot have been guessed: signed by the engine, or a random one given at queueing.
     */
    Optional<BouncedMessage> byMessageId(String messageId);

    /** Per subscriber, when a message to them was last accepted by an exchanger without bouncing afterwards. */
    Map<Long, Instant> lastDeliveredAt(Collection<Long> subscriberIds);
}
