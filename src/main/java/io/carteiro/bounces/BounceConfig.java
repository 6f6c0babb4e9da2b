package io.carteiro.bounces;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the bounce feature: the inbound listener, the optional mailbox, and the rules' defaults. */
@ConfigMapping(prefix = "carteiro.bounce")
interface BounceConfig {

    /**
     * The bounce domain: VERP return paths and the mailto unsubscribe address live here (also read by the delivery
     * engine; when absent the EHLO name is used).
     */
    Optional<String> domain();

    /** Further domains the listener accepts mail for (old bounce domains, a separate feedback-loop domain). */
    Optional<List<String>> extraDomains();

    /** Whether the inbound SMTP listener runs. */
    @WithDefault("true")
    boolean listenerEnabled();

    /** Address the listener binds to. */
    @WithDefault("0.0.0.0")
    String listenerHost();

    /** Port of the listener: 2525 by default, 25 in production; 0 picks a free port. */
    @WithDefault("2525")
    int listenerPort();

    /** Largest message accepted, in bytes (a DSN returning a full campaign message fits comfortably). */
    @WithDefault("10485760")
    int maxMessageSize();

    /** Recipients accepted per message; a bounce has one. */
    @WithDefault("10")
    int maxRecipients();

    /** Concurrent connections in all. */
    @WithDefault("200")
    int maxConnections();

    /** Concurrent connections from one client IP. */
    @WithDefault("10")
    int maxConnectionsPerIp();

    /** Idle time allowed between commands (and between data chunks) before the listener hangs up. */
    @WithDefault("PT60S")
    Duration commandTimeout();

    /** Longest time a client may take to send the DATA of one message. */
    @WithDefault("PT5M")
    Duration dataTimeout();

    /** PEM certificate chain for STARTTLS; STARTTLS is offered only when this and the key are set. */
    Optional<String> tlsCertificate();

    /** PEM private key (PKCS#8) for STARTTLS. */
    Optional<String> tlsKey();

    /** Defaults of the list-cleaning rules; an admin may override them in the rule settings page. */
    Rules rules();

    /** The optional mailbox to poll when bounces land in an existing mailbox. */
    Mailbox mailbox();

    /** Rule defaults. */
    interface Rules {
        /** Whether one hard bounce marks the subscriber bounced at once. */
        @WithDefault("true")
        boolean hardBounceMarksBounced();

        /** Soft bounces on distinct campaigns that mark a subscriber bounced. */
        @WithDefault("3")
        int softBounceThreshold();

        /** The window (days) in which the soft bounces are counted. */
        @WithDefault("30")
        int softBounceWindowDays();

        /** Whether a complaint unsubscribes from all lists and suppresses the address. */
        @WithDefault("true")
        boolean complaintUnsubscribes();
    }

    /** Mailbox polling (IMAP or POP3 with Angus Mail). */
    interface Mailbox {
        /** Whether the mailbox is polled. */
        @WithDefault("false")
        boolean enabled();

        /** imap or pop3. */
        @WithDefault("imap")
        String protocol();

        /** Host of the mail server. */
        @WithDefault("localhost")
        String host();

        /** Port; the protocol's default (143/993, 110/995) when absent. */
        Optional<Integer> port();

        /** Whether to connect over implicit TLS (imaps / pop3s). */
        @WithDefault("false")
        boolean tls();

        /** Login user. */
        Optional<String> user();

        /** Login password. */
        Optional<String> password();

        /** Folder to read. */
        @WithDefault("INBOX")
        String folder();

        /** Folder processed messages are moved to (IMAP); when absent they are deleted. */
        @WithName("processed-folder")
        Optional<String> processedFolder();

        /** Time between polls. */
        @WithDefault("PT5M")
        Duration pollInterval();

        /** Messages read per poll at most. */
        @WithDefault("500")
        int batchSize();
    }
}
