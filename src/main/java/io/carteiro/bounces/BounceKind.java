package io.carteiro.bounces;

import java.util.Locale;

/** What a returned message says about a recipient, which decides what the rules may do to the subscriber. */
enum BounceKind {
    /** The address does not exist or will never accept mail (5.x.x other than policy). */
    HARD,
    /** A temporary failure that ended delivery (a failed DSN with 4.x.x, a full mailbox, an expired retry). */
    SOFT,
    /** A warning that delivery is still being retried ({@code Action: delayed}): kept in the log, never counted. */
    DELAYED,
    /** The recipient reported the message as spam (ARF feedback report). */
    COMPLAINT,
    /** The receiving system refused the message on policy grounds (5.7.x): not the subscriber's fault. */
    BLOCKED,
    /** An out-of-office or other automatic answer: ignored. */
    AUTO_REPLY,
    /** Nothing could be concluded: the message is kept for review. */
    UNKNOWN;

    /** Lower-case name as stored in the database and shown in the API. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static BounceKind fromCode(String code) {
        return valueOf(code.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Whether a bounce of this kind is recorded against a subscriber (auto-replies and unknowns are not). */
    boolean recordable() {
        return this == HARD || this == SOFT || this == COMPLAINT || this == BLOCKED || this == DELAYED;
    }
}
