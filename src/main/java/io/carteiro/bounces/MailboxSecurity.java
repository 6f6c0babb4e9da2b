package io.carteiro.bounces;

/** How the connection to the bounce mailbox is protected ({@code carteiro.bounce.mailbox.security}). */
enum MailboxSecurity {
    /** STARTTLS before logging in (IMAP 143, POP3 110); a server that does not offer it is refused. */
    STARTTLS,
    /** Implicit TLS from the first byte (IMAPS 993, POP3S 995). */
    TLS,
    /** No TLS: the password would cross the network in plain text, so logging in is refused unless allowed. */
    NONE
}
