package io.carteiro.delivery.mtasts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** RFC 8461 §3.1: the {@code _mta-sts} TXT record. */
class StsRecordTest {

    @Test
    void recordWithIdShouldBePublished() {
        assertEquals("20160831085700Z", published("v=STSv1; id=20160831085700Z;"));
        assertEquals("abc", published("v=STSv1;id=abc"));
        assertEquals("abc", published("v=STSv1 ;  id=abc ; ext_1=value.x ;"));
    }

    @Test
    void recordsOfOtherProtocolsShouldBeIgnored() {
        assertEquals("x1", ((StsRecord.Lookup.Published) StsRecord.read(
                List.of("v=spf1 -all", "v=STSv1; id=x1;", "google-site-verification=abc"))).id());
    }

    @Test
    void noRecordOrSeveralShouldMeanNoPolicy() {
        notPublished(List.of());
        notPublished(List.of("v=spf1 -all"));
        notPublished(List.of("v=STSv1; id=a;", "v=STSv1; id=b;"));
    }

    @Test
    void malformedRecordsShouldMeanNoPolicy() {
        notPublished(List.of("v=STSv1;"));
        notPublished(List.of("v=STSv1; id=;"));
        notPublished(List.of("v=STSv1; id=has-dash;"));
        notPublished(List.of("v=STSv1; id=" + "a".repeat(33) + ";"));
        notPublished(List.of("v=STSv1; id=a; id=b;"));
        notPublished(List.of("v=STSv1; id=a; junk"));
        notPublished(List.of("v=STSv2; id=a;"));
        notPublished(List.of("V=STSv1; id=a;"));
    }

    private static String published(String record) {
        return assertInstanceOf(StsRecord.Lookup.Published.class, StsRecord.read(List.of(record))).id();
    }

    private static void notPublished(List<String> records) {
        assertInstanceOf(StsRecord.Lookup.NotPublished.class, StsRecord.read(records), records.toString());
    }
}
