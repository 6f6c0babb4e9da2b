package io.carteiro.campaigns;

import io.carteiro.delivery.TestSmtpServer;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.carteiro.campaigns.CarteiroCluster.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Campaigns sent by whole Carteiro processes (the packaged application in separate JVMs, see {@link CarteiroCluster})
 * against one MariaDB database: two instances side by side start the campaign once and send each message once.
 * (An instance killed mid-campaign is the delivery engine's {@code EngineCrashTest}.)
 *
 * <p>Size: {@value #CLUSTER_RECIPIENTS} eligible recipients in {@value #CLUSTER_DOMAINS} domains; measured on the
 * 2-core build machine about 12 s (3,000 messages sent within 2 s of the send time), plus about 20 s once per run to
 * package the application.
 */
class CampaignClusterTest {

    static final int CLUSTER_RECIPIENTS = 3000;
    static final int CLUSTER_DOMAINS = 6;

    CarteiroCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void twoInstancesShouldStartTheCampaignOnceAndSendEachMessageOnce() throws Exception {
        Instant begun = Instant.now();
        cluster = CarteiroCluster.start();
        for (int d = 0; d < CLUSTER_DOMAINS; d++) {
            cluster.exchanger(cluster.domain(d), TestSmtpServer.Behaviour.ACCEPT);
        }
        CarteiroCluster.Node first = cluster.startNode("first", Duration.ofSeconds(20));
        CarteiroCluster.Node second = cluster.startNode("second", Duration.ofSeconds(20));
        long news = cluster.list("News");
        long offers = cluster.list("Offers");
        cluster.subscribers("ok", CLUSTER_RECIPIENTS, CLUSTER_DOMAINS, "active", news, "confirmed");
        cluster.execute("""
                INSERT INTO subscription (list_id, subscriber_id, status, source)
                SELECT %d, id, 'confirmed', 'admin' FROM subscriber WHERE email LIKE 'ok%%' AND id MOD 7 = 0"""
                .formatted(offers));
        cluster.subscribers("gone", 40, CLUSTER_DOMAINS, "active", news, "unsubscribed");
        cluster.subscribers("blk", 40, CLUSTER_DOMAINS, "blocklisted", news, "confirmed");
        cluster.subscribers("bnc", 40, CLUSTER_DOMAINS, "bounced", offers, "confirmed");

        Instant sendAt = Instant.now().plusSeconds(3);
        long id = cluster.campaign(first, List.of(news, offers), sendAt);
        Set<String> claimants = new HashSet<>();
        awaitTrue(Duration.ofSeconds(90), () -> {
            claimants.addAll(cluster.strings("SELECT DISTINCT REGEXP_REPLACE(lease_owner, '/[^/]*$', '')"
                    + " FROM outbound_message WHERE campaign_id = " + id + " AND state = 'sending'"));
            return cluster.received() >= CLUSTER_RECIPIENTS && cluster.count(unfinished(id)) == 0;
        }, "every message of campaign " + id + " was sent");
        Duration sending = Duration.between(sendAt, Instant.now());
        awaitTrue(Duration.ofSeconds(30), () -> "finished".equals(cluster.campaignState(second, id).getString("status")),
                "campaign " + id + " finished");

        Map<String, Integer> times = cluster.deliveries();
        long duplicates = times.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        int starts = starts(first, id) + starts(second, id);
        System.out.printf("two instances: %d eligible recipients in %d domains, %d delivered, %d twice, campaign"
                        + " started %d time(s), sent in %d ms after its send time, claimed by %s, test %d s%n",
                CLUSTER_RECIPIENTS, CLUSTER_DOMAINS, times.size(), duplicates, starts, sending.toMillis(), claimants,
                Duration.between(begun, Instant.now()).toSeconds());
        assertEquals(1, starts, "the clustered Quartz store fires the campaign's start on one instance only");
        assertEquals(CLUSTER_RECIPIENTS, cluster.count("SELECT COUNT(*) FROM outbound_message WHERE campaign_id = "
                + id), "one queued message per eligible subscriber");
        assertEquals(0, duplicates, "no message was delivered twice");
        assertEquals(CLUSTER_RECIPIENTS, times.size(), "every eligible subscriber received the campaign");
        assertTrue(times.keySet().stream().allMatch(a -> a.startsWith("ok")),
                "nobody unsubscribed, blocklisted or bounced received it");
        assertEquals(2, claimants.size(), "both instances claimed messages: " + claimants);
        for (CarteiroCluster.Node node : List.of(first, second)) {
            JsonPath counters = cluster.campaignState(node, id);
            assertEquals(CLUSTER_RECIPIENTS, counters.getInt("sent"), node.name() + " counts every message sent");
            for (String counter : List.of("queued", "deferred", "bounced", "failed", "remaining")) {
                assertEquals(0, counters.getInt(counter), node.name() + " " + counter);
            }
        }
    }

    static String unfinished(long campaignId) {
        return "SELECT COUNT(*) FROM outbound_message WHERE campaign_id = " + campaignId
                + " AND state IN ('queued', 'sending', 'deferred')";
    }

    /** How many times the instance's log says it started the campaign. */
    static int starts(CarteiroCluster.Node node, long campaignId) throws java.io.IOException {
        Matcher m = Pattern.compile("campaign " + campaignId + " started").matcher(node.logText());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
