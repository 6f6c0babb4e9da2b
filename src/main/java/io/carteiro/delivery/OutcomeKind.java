package io.carteiro.delivery;

import io.carteiro.delivery.smtp.SmtpReply;

/**
 * What an attempt came to, classified from the reply code and RFC 3463 enhanced status. Only {@link #BOUNCED} is
 * the recipient's fault (the bounce rules act on it); {@link #BLOCKED} is a policy or reputation rejection of the
 * sender (5.7.x), recorded but never blamed on the subscriber; {@link #EXPIRED} is a message given up after its
 * retry period of temporary failures (one soft bounce); {@link #FAILED} is Carteiro's own fault or a permanent
 * failure that says nothing about the recipient (no content, a message that could not be built, too big) and is
 * never counted against the subscriber.
 */
public enum OutcomeKind {
    DELIVERED, DEFERRED, BOUNCED, BLOCKED, EXPIRED, FAILED;

    /** Classifies one reply. */
    public static OutcomeKind of(SmtpReply reply) {
        if (reply.positive()) {
            return DELIVERED;
        }
        if (reply.transientFailure()) {
            return DEFERRED;
        }
        return ofPermanent(reply.enhancedStatus(), reply.code());
    }

    /** Classifies a permanent failure by its enhanced status (or, without one, its reply code). */
    public static OutcomeKind ofPermanent(String enhancedStatus, int code) {
        if (enhancedStatus == null) {
            return code == 550 || code == 551 || code == 553 ? BOUNCED : FAILED;
        }
        String[] parts = enhancedStatus.split("\\.");
        String subject = parts.length > 1 ? parts[1] : "";
        String detail = parts.length > 2 ? parts[2] : "";
        if (subject.equals("7")) {
            return BLOCKED;
        }
        if (subject.equals("1") || subject.equals("2") && detail.equals("1")) {
            return BOUNCED;
        }
        return FAILED;
    }

    /** The outbound_message.state a final outcome leaves the row in. */
    String finalState() {
        return switch (this) {
            case DELIVERED -> "sent";
            case DEFERRED -> "deferred";
            case BOUNCED -> "bounced";
            case BLOCKED, EXPIRED, FAILED -> "failed";
        };
    }

    String column() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
