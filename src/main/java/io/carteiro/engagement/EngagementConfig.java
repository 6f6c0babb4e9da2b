package io.carteiro.engagement;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** Settings of click and open tracking, reports and list hygiene (keys under {@code carteiro.engagement}). */
@ConfigMapping(prefix = "carteiro.engagement")
public interface EngagementConfig {

    /**
     * A redirect or open image waits at most this long for its hit to be committed before it answers anyway (the
     * person always lands; a hit not yet committed is still written when the database answers).
     */
    @WithDefault("PT2S")
    Duration commitWait();

    /** At most this many hits per group commit. */
    @WithDefault("2000")
    int commitBatch();

    /** Hits held in memory while the database is slow or away; beyond, new hits are answered but not counted. */
    @WithDefault("200000")
    int maxUncommitted();

    /**
     * A hit is classified this long after it arrived, once every hit that can change its verdict (within the
     * windows below) has arrived too. Must be longer than every window.
     */
    @WithDefault("PT40S")
    Duration settleAfter();

    /** How often each instance looks for hits to settle (one instance settles at a time). */
    @WithDefault("PT1S")
    Duration settleEvery();

    /** Hits classified per transaction. */
    @WithDefault("5000")
    int settleBatch();

    /** Whether this process settles hits (tests settle by hand). */
    @WithDefault("true")
    boolean settlerEnabled();

    /** Classified hits older than this are deleted (the counters stay): GDPR storage limitation. */
    @WithDefault("P400D")
    Duration hitRetention();

    /** Tells machine hits from people's. */
    Machine machine();

    /** The thresholds of list health. */
    Health health();

    /** When the sunset rule runs (each list's own settings are on the list). */
    Sunset sunset();

    /** The schedule of the sunset rule ({@link SunsetRule}), read by its {@code @Scheduled} expression. */
    interface Sunset {

        /** How often the rule runs (clustered: once per firing across replicas). */
        @WithDefault("1h")
        String every();

        /** How long after start the first run waits. */
        @WithDefault("10m")
        String delay();
    }


    /** What marks a click or an open as a machine's rather than a person's. */
    interface Machine {

        /**
         * Regular expressions (case-insensitive, found anywhere) of user agents that are not people: security
         * scanners, link-preview bots, HTTP libraries, headless browsers.
         */
        @WithDefault("bot\\b,crawler,spider,slurp,curl/,wget/,python-requests,python-urllib,aiohttp,httpx,"
                + "go-http-client,java/,okhttp,apache-httpclient,libwww-perl,headlesschrome,phantomjs,barracuda,"
                + "mimecast,proofpoint,safelinks,symantec,trendmicro,sophos,fortiguard,microsoft office existence,"
                + "ms-office,skypeuripreview,slackbot,facebookexternalhit,linkedinbot,twitterbot,whatsapp,"
                + "telegrambot,discordbot,google-safety,preview")
        List<String> userAgents();

        /**
         * Address ranges (CIDR) of link scanners, e.g. those the mail security vendors publish; none by default,
         * since they change and are the operator's to keep.
         */
        java.util.Optional<List<String>> addresses();

        /**
         * User agents (regular expressions matching the whole value) of mail privacy proxies that fetch every
         * image of every message: Apple Mail Privacy Protection fetches with the bare {@code Mozilla/5.0}.
         */
        @WithDefault("Mozilla/5\\.0")
        List<String> privacyProxyUserAgents();

        /** Address ranges (CIDR) of those proxies; Apple's own 17.0.0.0/8. */
        @WithDefault("17.0.0.0/8")
        List<String> privacyProxyAddresses();

        /** A hit this soon after the message was sent is a scanner at delivery, not a person who read it. */
        @WithDefault("PT10S")
        Duration minDelayAfterSend();

        /** A GET this soon after a HEAD of the same link by the same message is the scanner that sent the HEAD. */
        @WithDefault("PT2S")
        Duration headWindow();

        /** This many different links of one message clicked within {@link #burstWindow} of each other: a machine. */
        @WithDefault("3")
        int burstLinks();

        @WithDefault("PT2S")
        Duration burstWindow();

        /** Every hit of a message this close to a hit on its invisible decoy link is the machine that hit it. */
        @WithDefault("PT30S")
        Duration decoyWindow();
    }

    /** When a subscriber on a list tracked per subscriber counts as engaged, at risk or dormant. */
    interface Health {

        /** Engaged: a human click or open within this many days. */
        @WithDefault("90")
        int engagedDays();

        /**
         * Dormant: no human engagement for this many days since the last one (or since their first delivered
         * message); at risk in between.
         */
        @WithDefault("180")
        int dormantDays();
    }
}
