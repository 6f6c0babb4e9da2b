package io.carteiro.campaigns;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The links follow the public pages' token format, so their verifier accepts them once the branches meet. */
@QuarkusTest
class CampaignLinksTest {

    @Inject
    CampaignLinks links;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void unsubscribeUrlShouldCarryAPublicPagesTokenSignedWithTheSharedGeneratedKey() throws Exception {
        String url = links.unsubscribeUrl(123456, 7, 89L);
        assertTrue(url.startsWith("http://localhost:8080/u/"), url);
        String token = url.substring("http://localhost:8080/u/".length());
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length, token);

        String stored = new CampaignFixture(dataSource)
                .single("SELECT value FROM app_setting WHERE name = 'links.generated-key'");
        assertEquals(parts[0], stored.substring(0, stored.indexOf(':')), "signed with the generated key's id");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(stored.substring(stored.indexOf(':') + 1)), "HmacSHA256"));
        byte[] expected = Arrays.copyOf(
                mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)), 16);
        assertArrayEquals(expected, Base64.getUrlDecoder().decode(parts[2]));

        ByteBuffer payload = ByteBuffer.wrap(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals(0x11, payload.get() & 0xFF, "version 1, purpose unsubscribe");
        assertEquals(123456, varint(payload));
        assertEquals(7, varint(payload));
        assertEquals(89, varint(payload));
        assertTrue(varint(payload) > 1_700_000_000L, "issued at, epoch seconds");
        assertEquals(400L * 24 * 3600, varint(payload), "lifetime");
        assertEquals(0, payload.remaining());
    }

    @Test
    void preferencesUrlAndMailboxShouldHaveTheirOwnShapes() {
        assertTrue(links.preferencesUrl(5).startsWith("http://localhost:8080/p/"));
        String mailbox = links.unsubscribeMailbox(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2, Long.MAX_VALUE / 2);
        assertTrue(mailbox.indexOf('@') <= 64, mailbox);
        assertTrue(mailbox.endsWith("@bounces.carteiro.test"), mailbox);
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.get() & 0xFF;
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }
}
