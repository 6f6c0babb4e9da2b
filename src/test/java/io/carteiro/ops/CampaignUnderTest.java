package io.carteiro.ops;

import io.carteiro.support.CarteiroProcess;
import io.carteiro.support.Exchangers;
import io.carteiro.support.Newsletter;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A campaign sent by a packaged Carteiro to loopback exchangers while a test does something to its database;
 * counted where it matters, at the exchangers: who got it, who got it twice, who never got it.
 */
final class CampaignUnderTest {

    /** Sessions the engine may hold open at once: the bound on duplicates after an outage or a crash. */
    static final int SESSIONS = 8;
    static final int SENDER_LOOPS = 4;
    static final int BATCH = 200;
    /**
     * Messages the engine can hold claimed at once (each sender loop claims a batch): the most that can still go out
     * once the database is away, since nothing new can be claimed without it.
     */
    static final int IN_HAND = SENDER_LOOPS * BATCH;

    final CarteiroProcess app;
    final Exchangers exchangers;
    final List<String> recipients;
    long id;
    Instant started;

    private CampaignUnderTest(CarteiroProcess app, Exchangers exchangers, List<String> recipients) {
        this.app = app;
        this.exchangers = exchangers;
        this.recipients = recipients;
    }

    /** Engine settings that keep a test campaign of a few thousand messages running for several seconds. */
    static CarteiroProcess.Launch engineSettings(CarteiroProcess.Launch launch) {
        return launch.set("carteiro.delivery.sessions", Integer.toString(SESSIONS))
                .set("carteiro.delivery.sender-loops", Integer.toString(SENDER_LOOPS))
                .set("carteiro.delivery.batch-size", Integer.toString(BATCH))
                .set("carteiro.delivery.chunk-size", "25")
                .set("carteiro.campaigns.tick-every", "1s")
                // claims left by an outage or a crash come back after this lease; the default 10 minutes would
                // outlast the test (the engine's heartbeats release them sooner where it knows they are stale)
                .set("carteiro.delivery.lease", "PT30S")
                .set("quarkus.quartz.misfire-threshold", "PT5S");
    }

    /** A list of {@code count} subscribers (imported through the API) and a campaign to it, started now. */
    static CampaignUnderTest start(CarteiroProcess app, Exchangers exchangers, String prefix, int count)
            throws InterruptedException {
        List<String> recipients = exchangers.addresses(prefix, count);
        long list = Newsletter.list(app, "Outage " + prefix);
        Newsletter.importSubscribers(app, list, recipients);
        CampaignUnderTest campaign = new CampaignUnderTest(app, exchangers, recipients);
        campaign.started = Instant.now();
        campaign.id = Newsletter.campaign(app, list, null);
        return campaign;
    }

    /** A campaign already started (through another instance), followed through {@code app}. */
    static CampaignUnderTest following(CarteiroProcess app, Exchangers exchangers, List<String> recipients, long id) {
        CampaignUnderTest campaign = new CampaignUnderTest(app, exchangers, recipients);
        campaign.id = id;
        campaign.started = Instant.now();
        return campaign;
    }

    /** What a load balancer and the exchangers saw while the database was away. */
    record Outage(List<Integer> readiness, List<Integer> liveness, int receivedAtStart, int receivedAtEnd) {

        /** Messages received while the database was away. */
        int sentDuring() {
            return receivedAtEnd - receivedAtStart;
        }
    }

    /**
     * Holds an outage (the database already stopped or frozen) for {@code length}, probing readiness and liveness
     * once a second as a load balancer would, and counting deliveries at its start and at its end.
     */
    Outage holdOutage(Duration length) throws InterruptedException {
        Instant start = Instant.now();
        int atStart = received();
        List<Integer> readiness = new java.util.ArrayList<>();
        List<Integer> liveness = new java.util.ArrayList<>();
        while (Duration.between(start, Instant.now()).compareTo(length) < 0) {
            readiness.add(app.health("ready"));
            liveness.add(app.health("live"));
            Thread.sleep(1000);  // the outage lasts this long whatever happens: it is the stimulus, not a wait
        }
        return new Outage(readiness, liveness, atStart, received());
    }

    int received() {
        Map<String, Integer> deliveries = exchangers.deliveries();
        return (int) recipients.stream().filter(deliveries::containsKey).count();
    }

    void awaitReceived(int atLeast) throws InterruptedException {
        CarteiroProcess.awaitTrue(Duration.ofMinutes(3), () -> received() >= atLeast,
                atLeast + " of " + recipients.size() + " recipients received the campaign");
    }

    /** Waits until the campaign is finished and returns when that was. */
    Instant awaitFinished(Duration limit) throws InterruptedException {
        CarteiroProcess.awaitTrue(limit, () -> "finished".equals(status()), "campaign " + id + " finished");
        return Instant.now();
    }

    String status() {
        try {
            return Newsletter.campaignState(app, id).getString("status");
        } catch (AssertionError | RuntimeException notNow) {  // the database is away: the API answers 5xx
            return "unknown";
        }
    }

    /** Recipients who never got the campaign. */
    long lost() {
        Map<String, Integer> deliveries = exchangers.deliveries();
        return recipients.stream().filter(r -> !deliveries.containsKey(r)).count();
    }

    /** Deliveries beyond the first to each recipient. */
    long duplicates() {
        Map<String, Integer> deliveries = exchangers.deliveries();
        return recipients.stream().mapToLong(r -> Math.max(0, deliveries.getOrDefault(r, 0) - 1)).sum();
    }
}
