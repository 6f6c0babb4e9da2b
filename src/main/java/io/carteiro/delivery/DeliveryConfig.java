package io.carteiro.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the delivery engine (keys under {@code carteiro.delivery}); the bounce domain that return paths use is
 * {@code carteiro.bounce.domain}, read by {@link VerpAddress}.
 */
@ConfigMapping(prefix = "carteiro.delivery")
public interface DeliveryConfig {

    /** DNS servers as {@code host:port} (port defaults to 53); empty means the system's resolvers. */
    Optional<List<String>> dnsServers();

    /** Time to wait for one DNS answer before asking again (or the next server). */
    @WithDefault("PT5S")
    Duration dnsTimeout();

    /** The TCP port of exchangers (25 on the Internet; tests point it at their own servers). */
    @WithDefault("25")
    int mxPort();

    /** Whether exchangers on loopback, private or unspecified addresses may be used (tests and local demos). */
    @WithDefault("false")
    boolean allowPrivateExchangers();

    /** The name announced in EHLO; defaults to this machine's host name. */
    Optional<String> ehloName();

    /** Secret for the signed VERP token; when absent a key is generated once and kept in {@code app_setting}. */
    Optional<String> verpKey();

    /** Whether this process runs the delivery engine (off in tests, which start it themselves). */
    @WithDefault("true")
    boolean senderEnabled();

    /** Rows claimed from the queue at a time. */
    @WithDefault("500")
    int batchSize();

    /**
     * Messages claimed and not yet settled that this process holds at most (Postfix's qmgr_message_active_limit);
     * their rendered content is in memory.
     */
    @WithDefault("2000")
    int activeLimit();

    /**
     * Messages of one destination held at most: once reached, claims skip that destination, so a slow one cannot
     * fill the active limit and hold back mail to the others.
     */
    @WithDefault("500")
    int destinationQueueLimit();

    /**
     * How long a claim holds without renewal. A running instance renews the claims it still holds (see
     * {@link #heartbeatInterval()}); a crashed one's come back through the heartbeats, so this is the last resort.
     */
    @WithDefault("PT10M")
    Duration lease();

    /** How long the claimer waits when nothing is due (it is also woken when messages become due). */
    @WithDefault("PT1S")
    Duration idlePoll();

    /** SMTP sessions of this process at most, over all destinations (Postfix's default_process_limit is 100). */
    @WithDefault("100")
    int sessions();

    /**
     * Concurrent sessions per destination at most (Postfix's default_destination_concurrency_limit); shared by the
     * live instances, each taking its part.
     */
    @WithDefault("20")
    int destinationConcurrency();

    /**
     * Concurrent sessions a destination starts with; each run of successes as long as the window adds one, up to
     * {@link #destinationConcurrency()}, and as many connection failures take one away (Postfix's slow start).
     */
    @WithDefault("5")
    int initialDestinationConcurrency();

    /**
     * What a destination is: {@code domain} (each recipient domain has its own queue and concurrency) or
     * {@code mx-hosts} (domains served by the same set of MX hosts share one concurrency window).
     */
    @WithDefault("domain")
    DestinationKey destination();

    /** What makes a destination (see {@link #destination()}). */
    enum DestinationKey { DOMAIN, MX_HOSTS }

    /** First retry delay after a temporary failure (Postfix's minimal_backoff_time is 300s). */
    @WithDefault("PT5M")
    Duration firstRetry();

    /** The longest delay between two attempts (Postfix's maximal_backoff_time is 4000s). */
    @WithDefault("PT1H")
    Duration maxRetryInterval();

    /** How long a message is retried before it expires (Postfix's maximal_queue_lifetime is 5d). */
    @WithDefault("P3D")
    Duration giveUpAfter();

    /** Messages sent over one connection before it is closed. */
    @WithDefault("100")
    int maxMessagesPerConnection();

    /** Age after which a connection is not reused. */
    @WithDefault("PT2M")
    Duration maxConnectionAge();

    /**
     * How long an idle session is kept for the next message to the same exchanger
     * (Postfix's smtp_connection_cache_time_limit); it is checked with RSET before reuse.
     */
    @WithDefault("PT2S")
    Duration connectionCacheTime();

    /**
     * Messages per second this process sends while the queue is being filled in bulk (see {@link QueueFilling}),
     * one chunk at a time. 0 sends nothing until the fill ends.
     */
    @WithDefault("100")
    double rateWhileFilling();

    /** Messages claimed at a time while the queue is being filled. */
    @WithDefault("50")
    int chunkSize();

    /**
     * How often a running instance writes its heartbeat, renews its claims and reads the shared shaping state
     * (suspensions, the number of live instances).
     */
    @WithDefault("PT3S")
    Duration heartbeatInterval();

    /**
     * An instance whose heartbeat is older than this is taken for dead and its claims are released to the others,
     * so a crash delays its messages by about this long.
     */
    @WithDefault("PT15S")
    Duration instanceTimeout();

    /** On shutdown, how long sessions in the middle of a transaction may finish before they are cut. */
    @WithDefault("PT5S")
    Duration shutdownGrace();

    /** Traffic shaping per destination. */
    Throttle throttle();

    /** SMTP timeouts; defaults are RFC 5321 §4.5.3.2 values. */
    Timeouts timeouts();

    /** STARTTLS behaviour. */
    Tls tls();

    /** Relay mode: hand every message to one smarthost instead of looking up MX records. */
    Relay relay();

    /** Limits per destination; rules match a recipient domain or an exchanger host pattern such as *.google.com. */
    interface Throttle {
        /** Concurrent connections per exchanger host unless a rule says otherwise. */
        @WithDefault("10")
        int connectionsPerExchanger();

        /** Messages per second per recipient domain; 0 is unlimited. */
        @WithDefault("0")
        double ratePerDomain();

        /** Messages per second over all destinations in this process; 0 is unlimited. */
        @WithDefault("0")
        double globalRate();

        /** Temporary failures in a row after which a destination is suspended; 0 never suspends. */
        @WithDefault("20")
        int suspendAfter();

        /** How long a suspended destination gets no connections (its messages are deferred). */
        @WithDefault("PT10M")
        Duration suspendFor();

        /**
         * Rules by pattern, e.g. {@code carteiro.delivery.throttle.rules."*.google.com".connections=20} and
         * {@code carteiro.delivery.throttle.rules."outlook.com".rate=10}.
         */
        java.util.Map<String, Rule> rules();

        /** One rule's limits. */
        interface Rule {
            /** Concurrent connections per exchanger; 0 keeps the default. */
            @WithDefault("0")
            int connections();

            /** Messages per second per recipient domain; 0 keeps the default. */
            @WithDefault("0")
            double rate();
        }
    }

    /** SMTP timeouts per phase. */
    interface Timeouts {
        /** TCP connect (not in RFC 5321; 30s as in Postfix's smtp_connect_timeout). */
        @WithDefault("PT30S")
        Duration connect();

        /** Waiting for the 220 greeting. */
        @WithDefault("PT5M")
        Duration greeting();

        /** Each command (EHLO, MAIL, RCPT, RSET, STARTTLS): 5 minutes. */
        @WithDefault("PT5M")
        Duration command();

        /** Waiting for the 354 reply to DATA. */
        @WithDefault("PT2M")
        Duration dataStart();

        /** Each data block sent. */
        @WithDefault("PT3M")
        Duration dataBlock();

        /** Waiting for the reply after the final dot. */
        @WithDefault("PT10M")
        Duration dataEnd();

        /** A whole mail transaction, MAIL to the reply after the final dot (not in RFC 5321; bounds the sum). */
        @WithDefault("PT15M")
        Duration transaction();
    }

    /** TLS towards exchangers. */
    interface Tls {
        /**
         * The level for every exchanger: {@code may} (STARTTLS when offered, any certificate: most MX certificates
         * do not match their names, so this is Postfix's default too), {@code none}, {@code encrypt} (TLS required)
         * or {@code verify} (TLS with a verified certificate required). A domain's MTA-STS policy in mode enforce
         * raises it to {@code verify} for that domain.
         */
        @WithDefault("may")
        Level level();

        /** A TLS level (see {@link io.carteiro.delivery.smtp.TlsPolicy.Level}). */
        enum Level { NONE, MAY, ENCRYPT, VERIFY }

        /** Recipient domains for which delivery without TLS is refused (deferred): level {@code encrypt}. */
        Optional<List<String>> requiredDomains();

        /**
         * Certificates (PEM) trusted besides the JDK's, for verified TLS (MTA-STS enforce, a relay with a private
         * CA).
         */
        Optional<java.nio.file.Path> trustedCertificates();
    }

    /** The smarthost of relay mode. */
    interface Relay {
        /** Smarthost name; relay mode is on when set. */
        Optional<String> host();

        /** Port: 587 for submission with STARTTLS, 465 for implicit TLS. */
        @WithDefault("587")
        int port();

        Optional<String> username();

        Optional<String> password();

        /**
         * {@code starttls} (required), {@code implicit} (TLS from the first byte, port 465) or {@code none} (plain
         * text: only without credentials, which are never sent without TLS). Any other value stops the start.
         */
        @WithDefault("starttls")
        RelayTls tls();

        /** How a smarthost session starts TLS. */
        enum RelayTls { STARTTLS, IMPLICIT, NONE }

        /**
         * Turns off the check of the smarthost's certificate (CA and name), so the credentials go to whoever
         * answers on the way. Only for a smarthost whose certificate cannot be verified, and never on the Internet.
         */
        @WithDefault("false")
        boolean insecureSkipCertificateVerification();
    }
}
