package io.carteiro.bounces;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the bounce feature needs to know about messages the delivery engine sent: which message a signed VERP
 * address or a Message-ID names, and when a subscriber last received mail without it bouncing.
 */
interface BouncedMessageLookup {

    /** The outbound message id a VERP return path carries; empty when it is not ours or its token is forged. */
    OptionalLong decodeReturnPath(String address);

    /** The message with this id, when it was sent to a known subscriber. */
    Optional<BouncedMessage> byId(long outboundMessageId);

    /** The message with this RFC 5322 Message-ID (angle brackets included), when it was sent to a subscriber. */
    Optional<BouncedMessage> byMessageId(String messageId);

    /** When a message to this subscriber was last accepted by an exchanger and has not bounced since. */
    Optional<Instant> lastDeliveredAt(long subscriberId);
}
