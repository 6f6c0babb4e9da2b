package io.carteiro.deliverability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the deliverability desk (keys under {@code carteiro.deliverability}). */
@ConfigMapping(prefix = "carteiro.deliverability")
public interface DeliverabilityConfig {

    /**
     * The addresses mail leaves this installation from, for the SPF and PTR checks; empty means the public addresses
     * of this machine's interfaces (behind NAT or in Kubernetes, set the public ones). In relay mode the relay's
     * addresses are used instead.
     */
    Optional<List<String>> sendingAddresses();

    /**
     * The addresses where this installation receives mail (its bounce listener), for the bounce domain's MX check;
     * empty means the sending addresses and every address of this machine.
     */
    Optional<List<String>> publicAddresses();

    /** Local part of the DMARC aggregate report address at the bounce domain (a DMARC record's rua=mailto:). */
    @WithDefault("dmarc-reports")
    String dmarcLocalPart();

    /** Local part of the TLS-RPT report address at the bounce domain (a TLS-RPT record's rua=mailto:). */
    @WithDefault("tls-reports")
    String tlsReportLocalPart();

    /**
     * Base URL of an rspamd normal worker (Debian's {@code rspamd} listens at {@code http://localhost:11333}); a
     * campaign's preview then shows the score rspamd's {@code /checkv2} gives its rendered message. Unset: no content
     * score.
     */
    Optional<String> rspamdUrl();

    /** How long the content score waits for rspamd, to connect and to answer, before saying it is unavailable. */
    @WithDefault("PT10S")
    Duration rspamdTimeout();

    /** Limits on received reports. */
    Reports reports();

    /** The reputation brakes' machinery (their thresholds are settings on the desk's settings page). */
    Brakes brakes();

    /** Limits that keep a hostile report from costing more than a real one. */
    interface Reports {
        /** Largest report after decompression, in bytes (Google's largest daily reports are a few MB). */
        @WithDefault("20971520")
        long maxSize();

        /** Largest decompressed size as a multiple of the compressed size (zip bombs reach thousands). */
        @WithDefault("200")
        int maxRatio();

        /** Most records (DMARC) or failure details (TLS-RPT) in one report. */
        @WithDefault("50000")
        int maxRecords();
    }

    /** How the brakes read the delivery log. */
    interface Brakes {
        /** How often the attempts logged since the last look are counted and the thresholds checked. */
        @WithDefault("5s")
        String checkEvery();

        /** A provider's refusal share is taken over the current and the previous window of this length. */
        @WithDefault("PT15M")
        Duration providerWindow();
    }
}
