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

    /** Whether this process runs the sender loop (off in tests, which drive the sender themselves). */
    @WithDefault("true")
    boolean senderEnabled();

    /** Rows claimed per batch. */
    @WithDefault("500")
    int batchSize();

    /** How long a claim holds before another sender may take the row again (a crashed sender's claims return). */
    @WithDefault("PT10M")
    Duration lease();

    /** How long the sender loop waits when nothing is due. */
    @WithDefault("PT1S")
    Duration idlePoll();

    /** Parallel SMTP sessions of this process. */
    @WithDefault("32")
    int sessions();

    /** First retry delay after a temporary failure (Postfix's minimal_backoff_time is 300s). */
    @WithDefault("PT5M")
    Duration firstRetry();

    /** The longest delay between two attempts (Postfix's maximal_backoff_time is 4000s). */
    @WithDefault("PT1H")
    Duration maxRetryInterval();

    /** How long a message is retried before it is given up as failed (Postfix's maximal_queue_lifetime is 5d). */
    @WithDefault("P3D")
    Duration giveUpAfter();

    /** Messages sent over one connection before it is closed. */
    @WithDefault("100")
    int maxMessagesPerConnection();

    /** Age after which a connection is not reused. */
    @WithDefault("PT2M")
    Duration maxConnectionAge();

    /** Sender loops of this process, each claiming and delivering its own batches. */
    @WithDefault("4")
    int senderLoops();

    /**
     * Messages per second this process sends while the queue is being filled in bulk (see {@link QueueFilling}):
     * one sender loop, one chunk at a time. 0 sends nothing until the fill ends.
     */
    @WithDefault("100")
    double rateWhileFilling();

    /** Messages of one domain handed to one worker (and one connection) at a time. */
    @WithDefault("50")
    int chunkSize();

    /** Idle connections are closed after this long. */
    @WithDefault("PT30S")
    Duration connectionIdle();

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
    }

    /** Opportunistic STARTTLS by default; required for some domains. */
    interface Tls {
        /** Whether STARTTLS is used when offered. */
        @WithDefault("true")
        boolean opportunistic();

        /** Recipient domains for which delivery without TLS is refused (deferred). */
        Optional<List<String>> requiredDomains();

        /** Whether exchanger certificates are verified (most MX certificates do not match; off as in Postfix). */
        @WithDefault("false")
        boolean verifyCertificates();
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

        /** {@code starttls} (required), {@code implicit} (TLS from the first byte, port 465) or {@code none}. */
        @WithDefault("starttls")
        String tls();
    }
}
