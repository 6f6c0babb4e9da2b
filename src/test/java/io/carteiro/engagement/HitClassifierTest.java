package io.carteiro.engagement;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Replays the traffic patterns of people and of machines against the rules, one message at a time. */
class HitClassifierTest {

    static final Instant SENT = Instant.parse("2026-12-01T09:00:00Z");
    final HitClassifier classifier = new HitClassifier(Duration.ofSeconds(10), Duration.ofSeconds(2), 3,
            Duration.ofSeconds(2), Duration.ofSeconds(30));
    final List<HitClassifier.Observed> hits = new ArrayList<>();

    private long click(int link, Duration afterSend, int signals) {
        return hit(HitClassifier.CLICK, link, afterSend, signals);
    }

    private long hit(int kind, int link, Duration afterSend, int signals) {
        long id = hits.size() + 1;
        hits.add(new HitClassifier.Observed(id, kind, link, SENT.plus(afterSend), SENT, signals, true));
        return id;
    }

    private Map<Long, Verdict> judge(int campaignLinks) {
        return classifier.classify(hits, campaignLinks);
    }

    @Test
    void aPersonClickingOneLinkAnHourAfterDeliveryIsAPerson() {
        long id = click(2, Duration.ofHours(1), 0);
        assertEquals(Verdict.PERSON, judge(5).get(id));
    }

    @Test
    void aScannerSendingHeadThenGetWithinASecondIsAMachineTwice() {
        long head = click(1, Duration.ofMinutes(3), HitSignals.HEAD);
        long get = click(1, Duration.ofMinutes(3).plusMillis(400), 0);
        Map<Long, Verdict> v = judge(5);
        assertEquals(Verdict.machine(Verdict.Reason.HEAD), v.get(head));
        assertEquals(Verdict.machine(Verdict.Reason.AFTER_HEAD), v.get(get));
    }

    @Test
    void aGetLongAfterAHeadOfTheSameLinkIsAPerson() {
        click(1, Duration.ofMinutes(3), HitSignals.HEAD);
        long get = click(1, Duration.ofMinutes(40), 0);
        assertEquals(Verdict.PERSON, judge(5).get(get));
    }

    @Test
    void everyLinkOfAMessageWithinASecondOrTwoIsAMachine() {
        long a = click(1, Duration.ofSeconds(40), 0);
        long b = click(2, Duration.ofSeconds(40).plusMillis(300), 0);
        long c = click(3, Duration.ofSeconds(41), 0);
        Map<Long, Verdict> v = judge(3);
        for (long id : new long[]{a, b, c}) {
            assertEquals(Verdict.machine(Verdict.Reason.LINK_BURST), v.get(id));
        }
    }

    @Test
    void bothLinksOfATwoLinkMessageWithinASecondAreAMachine() {
        long a = click(1, Duration.ofMinutes(5), 0);
        long b = click(2, Duration.ofMinutes(5).plusMillis(500), 0);
        Map<Long, Verdict> v = judge(2);
        assertEquals(Verdict.machine(Verdict.Reason.LINK_BURST), v.get(a));
        assertEquals(Verdict.machine(Verdict.Reason.LINK_BURST), v.get(b));
    }

    @Test
    void aPersonOpeningTwoLinksInTabsAFewSecondsApartIsAPerson() {
        long a = click(1, Duration.ofMinutes(5), 0);
        long b = click(4, Duration.ofMinutes(5).plusSeconds(6), 0);
        Map<Long, Verdict> v = judge(8);
        assertEquals(Verdict.PERSON, v.get(a));
        assertEquals(Verdict.PERSON, v.get(b));
    }

    @Test
    void theSameLinkClickedTwiceQuicklyIsNoBurst() {
        long a = click(1, Duration.ofMinutes(5), 0);
        long b = click(1, Duration.ofMinutes(5).plusMillis(200), 0);
        Map<Long, Verdict> v = judge(8);
        assertEquals(Verdict.PERSON, v.get(a));
        assertEquals(Verdict.PERSON, v.get(b));
    }

    @Test
    void theDecoyLinkAndEverythingNearItAreTheMachineThatFollowedIt() {
        long real = click(1, Duration.ofSeconds(50), 0);
        long decoy = click(0, Duration.ofSeconds(62), 0);
        long open = hit(HitClassifier.OPEN, 0, Duration.ofSeconds(70), 0);
        long later = click(2, Duration.ofHours(3), 0);
        Map<Long, Verdict> v = judge(5);
        assertEquals(Verdict.machine(Verdict.Reason.NEAR_DECOY), v.get(real));
        assertEquals(Verdict.machine(Verdict.Reason.DECOY), v.get(decoy));
        assertEquals(Verdict.machine(Verdict.Reason.NEAR_DECOY), v.get(open));
        assertEquals(Verdict.PERSON, v.get(later));
    }

    @Test
    void aClickSecondsAfterSendingIsAScannerAtDelivery() {
        long early = click(1, Duration.ofSeconds(3), 0);
        assertEquals(Verdict.machine(Verdict.Reason.TOO_SOON), judge(5).get(early));
    }

    @Test
    void whatTheRequestSaidComesFirst() {
        long agent = click(1, Duration.ofHours(1), HitSignals.SCANNER_AGENT);
        long address = click(2, Duration.ofHours(2), HitSignals.SCANNER_ADDRESS);
        long prefetch = click(3, Duration.ofHours(3), HitSignals.PREFETCH);
        long nobody = click(4, Duration.ofHours(4), HitSignals.NO_AGENT);
        Map<Long, Verdict> v = judge(5);
        assertEquals(Verdict.Reason.SCANNER_AGENT, v.get(agent).reason());
        assertEquals(Verdict.Reason.SCANNER_ADDRESS, v.get(address).reason());
        assertEquals(Verdict.Reason.PREFETCH, v.get(prefetch).reason());
        assertEquals(Verdict.Reason.NO_AGENT, v.get(nobody).reason());
    }

    @Test
    void applesPrivacyProxyOpensEveryMessageAndIsNoReader() {
        long byAgent = hit(HitClassifier.OPEN, 0, Duration.ofMinutes(20), HitSignals.PROXY_AGENT);
        long byAddress = hit(HitClassifier.OPEN, 0, Duration.ofMinutes(30), HitSignals.PROXY_ADDRESS);
        long reader = hit(HitClassifier.OPEN, 0, Duration.ofHours(5), 0);
        Map<Long, Verdict> v = judge(5);
        assertEquals(Verdict.machine(Verdict.Reason.PRIVACY_PROXY), v.get(byAgent));
        assertEquals(Verdict.machine(Verdict.Reason.PRIVACY_PROXY), v.get(byAddress));
        assertEquals(Verdict.PERSON, v.get(reader));
    }

    @Test
    void aClickThroughAnAppleAddressIsNotTakenForTheProxy() {
        // The proxy fetches images only; a person on Apple's network following a link is a person.
        long click = click(1, Duration.ofHours(1), HitSignals.PROXY_ADDRESS);
        assertEquals(Verdict.PERSON, judge(5).get(click));
    }

    @Test
    void onlyTheHitsToJudgeGetAVerdictAndJudgedOnesStillCount() {
        hits.add(new HitClassifier.Observed(-7, HitClassifier.CLICK, 0, SENT.plusSeconds(100), null, 0, false));
        long after = click(1, Duration.ofSeconds(110), 0);
        Map<Long, Verdict> v = judge(5);
        assertEquals(1, v.size());
        assertEquals(Verdict.machine(Verdict.Reason.NEAR_DECOY), v.get(after));
    }

    @Test
    void theReachIsTheLongestWindow() {
        assertEquals(Duration.ofSeconds(30), classifier.reach());
    }
}
