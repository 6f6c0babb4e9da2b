package io.carteiro.deliverability;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The alert rules at their edges: whose address is ours, and how far aligned passes must fall. */
class DmarcAlertsTest {

    static final String D = "example.test";

    static ReportStore.SourceVolume source(String ip, long messages, long aligned, long dkim, long spf) {
        return new ReportStore.SourceVolume(D, ip, messages, aligned, dkim, spf);
    }

    static List<String> kinds(List<ReportStore.SourceVolume> sources, long earlierMessages, long earlierAligned,
                              long recentMessages, long recentAligned) throws Exception {
        return DmarcAlerts.alerts(sources, List.of(new ReportStore.DomainShare(D, earlierMessages, earlierAligned)),
                        List.of(new ReportStore.DomainShare(D, recentMessages, recentAligned)),
                        Set.of(InetAddress.getByName("192.0.2.1"))).stream()
                .map(a -> a.kind() + (a.source() == null ? "" : " " + a.source())).toList();
    }

    @Test
    void onlyAnAddressThatIsNoneOfOursAndFailsDmarcShouldBeAnUnknownSource() throws Exception {
        List<ReportStore.SourceVolume> sources = List.of(
                source("192.0.2.1", 1000, 1000, 1000, 1000),
                source("192.0.2.1", 10, 0, 0, 0), // ours by address, failing: not a stranger
                source("198.51.100.1", 50, 40, 0, 40), // authorised by the domain's SPF, as receivers found
                source("198.51.100.2", 30, 30, 30, 0), // carries the domain's DKIM signature: a forwarder
                source("203.0.113.9", 5, 0, 0, 0));
        assertEquals(List.of("unknown-source 203.0.113.9"), kinds(sources, 100, 100, 100, 100));
    }

    @Test
    void alignedPassesShouldAlertWhenTheyFallTenPointsAndEachSideHasEnoughMail() throws Exception {
        List<ReportStore.SourceVolume> none = List.of();
        assertEquals(List.of("aligned-pass-fall"), kinds(none, 100, 100, 100, 90), "exactly ten points");
        assertEquals(List.of(), kinds(none, 1000, 1000, 1000, 901), "9.9 points");
        assertEquals(List.of(), kinds(none, 19, 19, 100, 0), "too few earlier messages to compare");
        assertEquals(List.of(), kinds(none, 100, 100, 19, 0), "too few recent messages to compare");
        assertEquals(List.of(), kinds(none, 100, 50, 100, 90), "a rise");
    }
}
