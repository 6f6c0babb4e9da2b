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

    /**
     * Concurrent connections from one client address; more are answered 421 at once and closed, so one client
     * holding slow connections cannot keep others out.
     */
    @WithDefault("10")
    int maxConnectionsPerIp();

    /**
     * Time allowed for each command line (and each line of DATA) to arrive, counted from the end of the one before;
     * the listener hangs up on a client that takes longer. It grows by the bytes received at {@link #minDataRate()}.
     */
    @WithDefault("PT60S")
    Duration commandTimeout();

    /**
     * Bytes per second that extend a line's time (Postfix's {@code smtpd_min_data_rate}): a client that sends a line
     * one byte at a time gets little more than {@link #commandTimeout()} for it.
     */
    @WithDefault("500")
    int minDataRate();

    /** Longest time a client may take to send the DATA of one message. */
    @WithDefault("PT5M")
    Duration dataTimeout();

    /** Longest a whole session may last, however it spends its time; then the listener answers 421 and hangs up. */
    @WithDefault("PT10M")
    Duration sessionTimeout();

    /**
     * Where DATA beyond the first {@link #memoryPerMessage()} bytes is written while it arrives, so no number of
     * concurrent large messages fills the heap (each instance's own folder in its data folder; emptied at start).
     */
    @WithDefault("${carteiro.data-dir:carteiro-data}/bounce-spool")
    String spoolDir();

    /** Bytes of one message held in memory before the rest goes to the spool folder. */
    @WithDefault("65536")
    int memoryPerMessage();

    /** Bytes all messages being received may take in the spool folder; beyond it DATA is answered 452 (try later). */
    @WithDefault("1073741824")
    long spoolLimit();

    /** Messages parsed and recorded at the same time; further ones wait their turn (bounding memory). */
    @WithDefault("4")
    int concurrentProcessing();

    /**
     * Bytes of a message the parser reads: the headers, the human part, the delivery-status or feedback part and the
     * returned headers come first, so a report that returns a whole large message needs only its start.
     */
    @WithDefault("1048576")
    int parseLimit();

    /** How long messages kept for review (unreadable, unmatched, mail to postmaster@ and abuse@) are kept. */
    @WithDefault("P30D")
    Duration reviewRetention();

    /** Bytes all messages kept for review may take; beyond it the oldest are deleted. */
    @WithDefault("268435456")
    long reviewTotalLimit();

    /** Bytes of one message kept for review (the start of it; a larger message is cut). */
    @WithDefault("1048576")
    int reviewMessageLimit();

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

        /** Port; when absent the protocol's for the security chosen (IMAP 143 / 993 with tls, POP3 110 / 995). */
        Optional<Integer> port();

        /**
         * How the connection is protected: {@code starttls} (the usual 143 / 110, upgraded before logging in; a
         * server that does not offer it is refused), {@code tls} (implicit TLS, 993 / 995) or {@code none}.
         */
        @WithDefault("starttls")
        MailboxSecurity security();

        /**
         * With {@code security=none} the password would cross the network in plain text; Carteiro refuses to log in
         * that way unless this is true (a server on the same host, say).
         */
        @WithDefault("false")
        boolean allowPlaintextPassword();

        /** A PEM file of CA certificates the server's certificate must chain to, instead of the JVM's defaults. */
        Optional<String> caFile();

        /** A trust store (PKCS12 or JKS) to trust instead of the JVM's defaults; only for this mailbox. */
        Optional<String> trustStore();

        /** Password of {@link #trustStore()}, when it has one. */
        Optional<String> trustStorePassword();

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

        /** Time between polls; a change takes effect at once, and changed mailbox settings are polled at once. */
        @WithDefault("PT5M")
        Duration pollInterval();

        /** Messages read per poll at most. */
        @WithDefault("500")
        int batchSize();
    }
}
