package io.carteiro.unsubscribe;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Limits of the public subscribe form, against subscription bombing. */
@ConfigMapping(prefix = "carteiro.subscribe")
public interface SubscribeConfig {

    /** Form posts accepted from one client IP within {@link #window()}; beyond it the form answers 429. */
    @WithDefault("20")
    int maxPerIp();

    /**
     * Form posts accepted for one mailbox within {@link #window()}; beyond it the form answers 429. Addresses that
     * differ only in their {@code +subaddress} are one mailbox.
     */
    @WithDefault("5")
    int maxPerAddress();

    /**
     * Confirmation mails sent to addresses of one domain within {@link #window()}. When a domain has had this many,
     * its sign-ups to double opt-in lists answer 429 (and store nothing) until the window moves on, so that a form
     * cannot be used to flood one organisation's mail server. Raise it for a list that expects more sign-ups per hour
     * from one large provider.
     */
    @WithDefault("100")
    int maxConfirmationsPerDomain();

    /** The window over which form posts are counted. */
    @WithDefault("PT1H")
    Duration window();

    /**
     * At most one confirmation mail is sent to a mailbox within this interval, whatever {@code +subaddress} the
     * sign-ups used: one pending confirmation per mailbox.
     */
    @WithDefault("PT1H")
    Duration confirmationMailInterval();

    /** Data-download and erasure links the preference centre mails to one subscriber within {@link #window()}. */
    @WithDefault("3")
    int maxDataRequests();

    /** From address of confirmation mails for lists that have no From of their own. */
    @WithDefault("noreply@localhost")
    String defaultFrom();
}
