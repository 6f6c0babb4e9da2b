package io.carteiro.unsubscribe;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinkSignerTest {

    static final byte[] OLD = "old-secret-0123456789abcdef-0123".getBytes(StandardCharsets.UTF_8);
    static final byte[] NEW = "new-secret-0123456789abcdef-4567".getBytes(StandardCharsets.UTF_8);
    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    final LinkSigner signer = new LinkSigner(Map.of("k1", OLD), "k1", CLOCK);

    @Test
    void tokenShouldCarryWhatWasSignedAndStayCompact() {
        String token = signer.issue(LinkToken.Purpose.UNSUBSCRIBE, 123456, 42, 7L, Duration.ofDays(400));
        LinkToken t = valid(signer.check(token, LinkToken.Purpose.UNSUBSCRIBE));
        assertEquals(123456, t.subscriberId());
        assertEquals(42, t.listId());
        assertEquals(Optional.of(7L), t.campaignId());
        assertEquals(NOW, t.issuedAt());
        assertEquals(Optional.of(NOW.plus(Duration.ofDays(400))), t.expiresAt());
        assertTrue(token.matches("[A-Za-z0-9_.-]+"), token);
        assertTrue(token.length() < 60, token);
    }

    @Test
    void tokenWithoutCampaignOrExpiryShouldRoundTrip() {
        LinkToken t = valid(signer.check(signer.issue(LinkToken.Purpose.PREFERENCES, 9, 0, null, null),
                LinkToken.Purpose.PREFERENCES));
        assertEquals(Optional.empty(), t.campaignId());
        assertEquals(Optional.empty(), t.expiresAt());
    }

    @Test
    void alteredPayloadShouldFailTheSignature() {
        String token = signer.issue(LinkToken.Purpose.UNSUBSCRIBE, 1000, 42, null, Duration.ofDays(1));
        String[] parts = token.split("\\.");
        byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
        payload[1] ^= 1; // another subscriber id
        String altered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + parts[2];
        assertEquals(LinkSigner.Rejection.BAD_SIGNATURE, refused(signer.check(altered, LinkToken.Purpose.UNSUBSCRIBE)));
    }

    @Test
    void forgedSignatureShouldBeRefused() {
        String token = signer.issue(LinkToken.Purpose.UNSUBSCRIBE, 5, 6, null, Duration.ofDays(1));
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAAAAAAAAAAAAAAAAAAAA";
        assertEquals(LinkSigner.Rejection.BAD_SIGNATURE, refused(signer.check(forged, LinkToken.Purpose.UNSUBSCRIBE)));
        LinkSigner attacker = new LinkSigner(Map.of("k1", NEW), "k1", CLOCK);
        String withOtherKey = attacker.issue(LinkToken.Purpose.UNSUBSCRIBE, 5, 6, null, Duration.ofDays(1));
        assertEquals(LinkSigner.Rejection.BAD_SIGNATURE,
                refused(signer.check(withOtherKey, LinkToken.Purpose.UNSUBSCRIBE)));
    }

    @Test
    void garbageShouldBeMalformedNotAnException() {
        for (String junk : new String[]{"", "abc", "k1..", "k1.!!!.x", "k1.AAAA.AAAA", "a.b.c.d", "k1.." + "A".repeat(300)}) {
            assertInstanceOf(LinkSigner.Refused.class, signer.check(junk, LinkToken.Purpose.UNSUBSCRIBE), junk);
        }
        assertEquals(LinkSigner.Rejection.MALFORMED, refused(signer.check(null, LinkToken.Purpose.UNSUBSCRIBE)));
    }

    @Test
    void expiredTokenShouldBeRefused() {
        String token = signer.issue(LinkToken.Purpose.CONFIRM, 5, 6, null, Duration.ofDays(7));
        LinkSigner eightDaysLater = new LinkSigner(Map.of("k1", OLD), "k1",
                Clock.fixed(NOW.plus(Duration.ofDays(8)), ZoneOffset.UTC));
        assertEquals(LinkSigner.Rejection.EXPIRED, refused(eightDaysLater.check(token, LinkToken.Purpose.CONFIRM)));
    }

    @Test
    void tokenOfOnePurposeShouldNotServeAnother() {
        String confirm = signer.issue(LinkToken.Purpose.CONFIRM, 5, 6, null, Duration.ofDays(7));
        assertEquals(LinkSigner.Rejection.WRONG_PURPOSE, refused(signer.check(confirm, LinkToken.Purpose.UNSUBSCRIBE)));
    }

    @Test
    void rotationShouldKeepOldLinksVerifyingUntilTheOldKeyIsRemoved() {
        String oldLink = signer.issue(LinkToken.Purpose.UNSUBSCRIBE, 77, 8, 1L, Duration.ofDays(400));
        LinkSigner rotated = new LinkSigner(Map.of("k1", OLD, "k2", NEW), "k2", CLOCK);
        String newLink = rotated.issue(LinkToken.Purpose.UNSUBSCRIBE, 77, 8, 1L, Duration.ofDays(400));
        assertTrue(newLink.startsWith("k2."), newLink);
        assertEquals(77, valid(rotated.check(oldLink, LinkToken.Purpose.UNSUBSCRIBE)).subscriberId());
        assertEquals(77, valid(rotated.check(newLink, LinkToken.Purpose.UNSUBSCRIBE)).subscriberId());
        LinkSigner retired = new LinkSigner(Map.of("k2", NEW), "k2", CLOCK);
        assertEquals(LinkSigner.Rejection.UNKNOWN_KEY, refused(retired.check(oldLink, LinkToken.Purpose.UNSUBSCRIBE)));
        assertEquals(LinkSigner.Rejection.BAD_SIGNATURE, refused(retired.check("k2" + oldLink.substring(2),
                LinkToken.Purpose.UNSUBSCRIBE)));
    }

    @Test
    void configurationErrorsShouldNameTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LinkSigner(Map.of("k1", OLD), "k9", CLOCK))
                .getMessage().contains("k9"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new LinkSigner(Map.of("bad id!", OLD), "bad id!", CLOCK)).getMessage().contains("bad id!"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new LinkSigner(Map.of("k1", new byte[4]), "k1", CLOCK)).getMessage().contains("shorter"));
    }

    static LinkToken valid(LinkSigner.Checked checked) {
        return assertInstanceOf(LinkSigner.Valid.class, checked).token();
    }

    static LinkSigner.Rejection refused(LinkSigner.Checked checked) {
        return assertInstanceOf(LinkSigner.Refused.class, checked).reason();
    }
}
