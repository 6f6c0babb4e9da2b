package io.carteiro.subscribers;

import java.util.Locale;

/**
 * Sends the double opt-in confirmation mail of one unconfirmed subscription: the same mail and signed link as the
 * public sign-up. Owned here and implemented by {@code unsubscribe}, which owns the link and the mail, so that an
 * admin's add, import and "resend" reach it without {@code subscribers} depending on the public pages.
 */
public interface ConfirmationMail {

    /** What a request came to. */
    enum Sent {
        /** The mail was queued. */
        SENT,
        /** A confirmation mail went to this mailbox within the interval; none now. */
        TOO_SOON,
        /** The subscription is not unconfirmed (or is gone, or the subscriber may not be mailed). */
        NOT_UNCONFIRMED,
        /** The list's sender is no public address (no From, and the default is {@code noreply@localhost}). */
        NO_SENDER
    }

    /** Queues the confirmation mail in the caller's transaction, at most one per mailbox per interval. */
    Sent request(long subscriberId, long listId, Locale locale);
}
