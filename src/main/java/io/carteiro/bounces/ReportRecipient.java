package io.carteiro.bounces;

import java.util.Optional;

/**
 * A feature that takes reports arriving at the bounce domain instead of the bounce parser: the deliverability desk's
 * DMARC aggregate and TLS-RPT reports. The listener accepts the recipients it claims; the recorder hands it the
 * messages addressed to them, and those of the bounce mailbox it recognises, inside the recording transaction.
 */
public interface ReportRecipient {

    /** The kinds of report. */
    enum Kind {
        DMARC, TLSRPT
    }

    /** The kind of report this recipient address takes (at any bounce domain), or empty. */
    Optional<Kind> addressedTo(String recipient);

    /** The kind of report a message of the bounce mailbox is (by its headers), or empty. */
    Optional<Kind> recognise(byte[] raw);

    /** Takes the message: stores its report or records why it was refused; never throws for bad content. */
    void receive(Kind kind, byte[] raw, String mailFrom, String channel);
}
