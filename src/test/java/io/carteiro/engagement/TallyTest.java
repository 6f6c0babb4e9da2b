package io.carteiro.engagement;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TallyTest {

    static final Instant AT = Instant.parse("2026-12-01T10:15:00Z");
    static final Verdict MACHINE = Verdict.machine(Verdict.Reason.LINK_BURST);

    final Tally tally = new Tally();
    final RecipientState ana = new RecipientState(new RecipientKey(7, false, 100));
    final RecipientState anonymous = new RecipientState(new RecipientKey(7, true, 123456789));

    @Test
    void uniquePeopleShouldBeCountedOncePerCampaignAndOncePerLink() {
        tally.add(ana, 3, HitClassifier.CLICK, 1, "example.org", AT, Verdict.PERSON);
        tally.add(ana, 3, HitClassifier.CLICK, 1, "example.org", AT.plusSeconds(60), Verdict.PERSON);
        tally.add(ana, 3, HitClassifier.CLICK, 2, "example.org", AT.plusSeconds(120), Verdict.PERSON);
        Tally.CampaignDelta c = tally.campaigns.get(7L);
        assertEquals(3, c.humanClicks);
        assertEquals(1, c.uniqueHumanClicks);
        assertEquals(1, c.uniqueHumanOpens, "a click proves the message was opened");
        assertEquals(2, tally.links.get(new Tally.LinkKey(7, 1)).human);
        assertEquals(1, tally.links.get(new Tally.LinkKey(7, 1)).uniqueHuman);
        assertEquals(1, tally.links.get(new Tally.LinkKey(7, 2)).uniqueHuman);
        assertTrue(ana.clickedByPerson(1) && ana.clickedByPerson(2) && !ana.clickedByPerson(3));
    }

    @Test
    void machineHitsShouldNeverCountAsEngagement() {
        tally.add(ana, 3, HitClassifier.CLICK, 1, "example.org", AT, MACHINE);
        tally.add(ana, 3, HitClassifier.OPEN, 0, "example.org", AT, Verdict.machine(Verdict.Reason.PRIVACY_PROXY));
        Tally.CampaignDelta c = tally.campaigns.get(7L);
        assertEquals(1, c.machineClicks);
        assertEquals(1, c.machineOpens);
        assertEquals(0, c.humanClicks + c.uniqueHumanClicks + c.humanOpens + c.uniqueHumanOpens);
        assertEquals(0, tally.links.get(new Tally.LinkKey(7, 1)).human);
        assertTrue(tally.subscriptions.isEmpty(), "a machine is no engagement of the subscription");
        assertEquals(null, ana.firstHumanAt);
    }

    @Test
    void aPersonAlreadyCountedInAnEarlierBatchShouldNotBeCountedAgain() {
        ana.humanClicks = 1;
        ana.markClicked(1);
        tally.add(ana, 3, HitClassifier.CLICK, 1, "example.org", AT, Verdict.PERSON);
        assertEquals(0, tally.campaigns.get(7L).uniqueHumanClicks);
        assertEquals(0, tally.campaigns.get(7L).uniqueHumanOpens);
        assertEquals(0, tally.links.get(new Tally.LinkKey(7, 1)).uniqueHuman);
    }

    @Test
    void subscriptionsShouldLearnTheirLatestHumanEngagementButAnonymousRecipientsShouldNot() {
        tally.add(ana, 3, HitClassifier.OPEN, 0, "example.org", AT, Verdict.PERSON);
        tally.add(ana, 3, HitClassifier.CLICK, 1, "example.org", AT.plusSeconds(5), Verdict.PERSON);
        tally.add(anonymous, 3, HitClassifier.CLICK, 1, "example.org", AT, Verdict.PERSON);
        Tally.HumanSeen seen = tally.subscriptions.get(new Tally.SubscriptionKey(3, 100));
        assertEquals(AT, seen.lastOpen);
        assertEquals(AT.plusSeconds(5), seen.last());
        assertEquals(1, tally.subscriptions.size());
        assertEquals(2, tally.campaigns.get(7L).uniqueHumanClicks);
        assertEquals(Instant.parse("2026-12-01T10:00:00Z"), tally.hours.keySet().iterator().next().hour());
    }
}
