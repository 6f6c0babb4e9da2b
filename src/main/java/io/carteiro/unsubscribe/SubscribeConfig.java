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

    /** Form posts accepted for one e-mail address within {@link #window()}; beyond it the form answers 429. */
    @WithDefault("5")
    int maxPerAddress();

    /** The window over which form posts are counted. */
    @WithDefault("PT1H")
    Duration window();

    /** At most one confirmation mail is sent to an address within this interval. */
    @WithDefault("PT1H")
    Duration confirmationMailInterval();

    /** From address of confirmation mails for lists that have no From of their own. */
    @WithDefault("noreply@localhost")
    String defaultFrom();
}
