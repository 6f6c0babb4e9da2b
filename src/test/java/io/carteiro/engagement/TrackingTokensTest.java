package io.carteiro.engagement;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrackingTokensTest {

    static final String SECRET = "tracking-secret-0123456789abcdef";
    static final Instant SENT = Instant.parse("2026-12-01T09:00:00Z");

    final TrackingTokens tokens = new TrackingTokens(TestKeys.of("k1", "k1", SECRET));

    static TrackingToken click(int link) {
        return new TrackingToken(TrackingToken.Kind.CLICK, 4242, 17, false, 987654, SENT, link, "example.org");
    }

    @Test
    void clickTokenShouldCarryWhatWasSignedInAUrlSafeString() {
        String token = tokens.issue(click(3));
        assertEquals(Optional.of(click(3)), tokens.check(token));
        assertTrue(token.matches("[A-Za-z0-9_.-]+"), token);
        assertTrue(token.length() < 80, token);
    }

    @Test
    void anonymousOpenTokenShouldRoundTripWithItsRandomKey() {
        TrackingToken open = new TrackingToken(TrackingToken.Kind.OPEN, 1, 2, true, (1L << 52) - 1, SENT, 0,
                "mail.example.co.uk");
        TrackingToken back = tokens.check(tokens.issue(open)).orElseThrow();
        assertEquals(open, back);
        assertEquals(null, back.subscriberId());
    }

    @Test
    void everyAlteredByteShouldMakeTheTokenUnknown() {
        String token = tokens.issue(click(1));
        String[] parts = token.split("\\.");
        byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
        for (int i = 0; i < payload.length; i++) {
            byte[] altered = payload.clone();
            altered[i] ^= 1;
            String text = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(altered) + "."
                    + parts[2];
            assertEquals(Optional.empty(), tokens.check(text), "byte " + i);
        }
        assertEquals(Optional.empty(), tokens.check(token.substring(0, token.length() - 2) + "AA"));
    }

    @Test
    void tokenOfAnotherKeyOrAnUnknownKeyIdShouldBeRefused() {
        TrackingTokens attacker = new TrackingTokens(TestKeys.of("k1", "k1", "someone-else-s-secret-000000000"));
        assertEquals(Optional.empty(), tokens.check(attacker.issue(click(1))));
        TrackingTokens other = new TrackingTokens(TestKeys.of("zz", "zz", SECRET));
        assertEquals(Optional.empty(), tokens.check(other.issue(click(1))));
    }

    @Test
    void tokensOfTheOldKeyShouldStillWorkAfterRotation() {
        String old = tokens.issue(click(2));
        TrackingTokens rotated = new TrackingTokens(TestKeys.of("k2", "k1", SECRET, "k2", "new-secret-0123456789abcdef-01"));
        assertEquals(Optional.of(click(2)), rotated.check(old));
        assertTrue(rotated.issue(click(2)).startsWith("k2."));
    }

    @Test
    void garbageShouldBeUnknownNotAnException() {
        for (String junk : new String[]{null, "", "abc", "k1..", "k1.!!!.x", "k1.AAAA.AAAA", "a.b.c.d",
                "k1." + "A".repeat(700) + ".x", "k1.%00.AA", "../../etc/passwd"}) {
            assertEquals(Optional.empty(), tokens.check(junk), String.valueOf(junk));
        }
    }

    @Test
    void theSignatureShouldBeTheDocumentedHmacWithItsOwnPrefix() throws Exception {
        String token = tokens.issue(click(5));
        String body = token.substring(0, token.lastIndexOf('.'));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = Arrays.copyOf(mac.doFinal(("t:" + body).getBytes(StandardCharsets.US_ASCII)), 16);
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(expected),
                token.substring(token.lastIndexOf('.') + 1));
        // The unsubscribe links' signature over the same body (no prefix) is not accepted here.
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] unprefixed = Arrays.copyOf(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)), 16);
        assertEquals(Optional.empty(),
                tokens.check(body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(unprefixed)));
    }

    @Test
    void aDomainWithCharactersNoDomainHasShouldBeRefused() {
        TrackingToken odd = new TrackingToken(TrackingToken.Kind.CLICK, 1, 1, false, 1, SENT, 1, "EXAMPLE.org");
        assertEquals(Optional.empty(), tokens.check(tokens.issue(odd)));
    }
}
