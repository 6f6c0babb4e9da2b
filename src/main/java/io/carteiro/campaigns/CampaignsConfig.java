package io.carteiro.campaigns;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of campaigns (keys under {@code carteiro.campaigns}); links use the shared {@code carteiro.public-url}. */
@ConfigMapping(prefix = "carteiro.campaigns")
public interface CampaignsConfig {

    /** How long an unsubscribe or preferences link in a campaign stays valid. */
    @WithDefault("P400D")
    Duration linkLifetime();

    /** At most this many addresses per test send. */
    @WithDefault("10")
    int maxTestRecipients();

    /**
     * A running campaign pauses itself after this many permanent failures in a row without one delivery.
     */
    @WithDefault("100")
    int failureStreak();

    /**
     * A running campaign pauses itself after this many messages failed for Carteiro's own reasons (no content, a
     * message that could not be built), never counted against their subscribers; resuming starts the count again.
     */
    @WithDefault("10")
    int ownFailureLimit();

    /** A campaign started this long after its send time says it started late. */
    @WithDefault("PT1M")
    Duration lateAfter();

    /** How often the campaign ticker releases throttled messages and notices finished campaigns. */
    @WithDefault("10s")
    String tickEvery();

    /**
     * Recipients are queued in ranges of subscriber ids holding at most this many subscriptions per target list,
     * one transaction each, so that sending starts while the rest is being queued. Fewer, larger ranges queue
     * faster (1M recipients: 25 s in ranges of 20,000, 17 s in ranges of 50,000); a pause or cancel waits for the
     * range under way (under a second at 50,000).
     */
    @WithDefault("50000")
    int queueChunk();

    /**
     * At most this many distinct links of a campaign are tracked (each is a row and a bit per engaged recipient);
     * links beyond stay as written.
     */
    @WithDefault("500")
    int maxTrackedLinks();

    /**
     * The longest a rendered subject, HTML body or text body may be, in characters. A campaign whose test render for
     * a sample subscriber is longer is refused when it is saved, with the reason; a message that grows past it at
     * send time (from a subscriber's attributes) is recorded as failed, never sent cut short.
     */
    @WithDefault("1000000")
    long maxRenderedChars();

    /** Loop iterations ({@code {#for}}, {@code {#each}}, all loops together) one rendered part may run. */
    @WithDefault("10000")
    long maxLoopIterations();

    /** Compiled templates kept in memory, one entry per campaign. */
    @WithDefault("64")
    int templateCache();
}
