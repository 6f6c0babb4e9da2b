package io.carteiro.campaigns;

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
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Campaign links carry the subscriber pages' tokens, checked here against an independent HMAC computation. */
@QuarkusTest
class CampaignLinksTest {

    @Inject
    CampaignLinks links;

    @Inject
    io.carteiro.secrets.AppSecrets secrets;

    @Test
    void unsubscribeUrlShouldCarryAPublicPagesTokenSignedWithTheSharedGeneratedKey() throws Exception {
        String url = links.unsubscribeUrl(123456, 7, 89L);
        assertTrue(url.startsWith("http://localhost:8080/u/"), url);
        String token = url.substring("http://localhost:8080/u/".length());
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length, token);

        // The key as the installation keeps it (encrypted in app_setting; AppSecrets decrypts it).
        String stored = secrets.find("links.generated-key").orElseThrow();
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
        // A billion subscribers, a million lists, ten million campaigns: still within RFC 5321's 64 octets.
        String mailbox = links.unsubscribeMailbox(1_000_000_000L, 1_000_000L, 10_000_000L);
        assertTrue(mailbox.indexOf('@') <= 64, mailbox);
        assertTrue(mailbox.endsWith("@bounces.carteiro.test"), mailbox);
    }

    @Test
    void mailboxShouldNameItsOwnerAndRefuseAlteredOrForgedAddresses() {
        String mailbox = links.unsubscribeMailbox(4711, 42, 9L);
        assertEquals(Optional.of(new CampaignLinks.MailboxOwner(4711, 42, 9)), links.unsubscribeMailboxOwner(mailbox));
        assertEquals(Optional.of(new CampaignLinks.MailboxOwner(4711, 42, 9)),
                links.unsubscribeMailboxOwner("<" + mailbox.toUpperCase(java.util.Locale.ROOT) + ">"),
                "mail systems may change the case of a local part");
        assertEquals(Optional.of(new CampaignLinks.MailboxOwner(4711, 42, 0)),
                links.unsubscribeMailboxOwner(links.unsubscribeMailbox(4711, 42, null)));
        String local = mailbox.substring(0, mailbox.indexOf('@'));
        String otherSubscriber = local.replaceFirst("-" + Long.toString(4711, 36) + "-", "-" + Long.toString(4712, 36) + "-");
        assertEquals(Optional.empty(), links.unsubscribeMailboxOwner(otherSubscriber + "@bounces.carteiro.test"));
        char last = local.charAt(local.length() - 1);
        String badMac = local.substring(0, local.length() - 1) + (last == '0' ? '1' : '0');
        assertEquals(Optional.empty(), links.unsubscribeMailboxOwner(badMac + "@bounces.carteiro.test"));
        assertEquals(Optional.empty(), links.unsubscribeMailboxOwner("u-nokey-1-2-3-00112233445566778899@x.test"));
        assertEquals(Optional.empty(), links.unsubscribeMailboxOwner("postmaster@bounces.carteiro.test"));
        assertEquals(Optional.empty(), links.unsubscribeMailboxOwner(null));
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
