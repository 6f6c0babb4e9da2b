package io.carteiro.secrets;

import io.agroal.api.AgroalDataSource;
import io.carteiro.delivery.VerpAddress;
import io.carteiro.subscribers.Suppressions;
import io.carteiro.support.Visitors;
import io.carteiro.unsubscribe.SignedLinks;
import io.carteiro.web.AdminBrowser;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.carteiro.support.Visitors.api;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12.19: someone who has a dump of the database (a backup, a replica, an SQL injection elsewhere) but not the
 * secrets key must not be able to forge links, bounce addresses or erasure fingerprints, nor sign mail as the domain.
 * The test plays that person: it reads the rows as a dump would show them and tries every key it can find in them.
 */
@QuarkusTest
class DatabaseDumpTest {

    @Inject
    AgroalDataSource db;

    @Inject
    SignedLinks links;

    @Inject
    VerpAddress verp;

    @Inject
    Suppressions suppressions;

    @Test
    void theLinkKeyInADumpForgesNoPreferenceLink() throws Exception {
        long list = Visitors.publicList(db, "Dump", "single");
        String email = "dump-" + Visitors.unique() + "@example.org";
        Visitors.signUp(list, email, "Dumped").then().statusCode(200);
        long id = Visitors.subscriberId(email);
        String genuine = links.preferencesUrl(id);
        given().get(genuine.substring(genuine.indexOf("/p/"))).then().statusCode(200);

        String stored = dump("SELECT value FROM app_setting WHERE name = 'links.generated-key'");
        assertTrue(stored.startsWith("enc1:"), "stored as " + stored);
        String[] parts = stored.split(":");
        int tries = 0;
        for (String keyId : parts) {
            for (byte[] key : candidateKeys(stored)) {
                if (keyId.matches("[A-Za-z0-9_-]{1,16}")) {
                    tries++;
                    int status = given().get("/p/" + forgePreferencesToken(keyId, key, id)).statusCode();
                    assertNotEquals(200, status, "a token forged from the dump opened the preference page");
                }
            }
        }
        assertTrue(tries > 0, "the attack tried something");
    }

    @Test
    void theVerpKeyAndTheErasureSaltInADumpReproduceNothing() throws Exception {
        String returnPath = verp.returnPath(4242);
        String mac = returnPath.substring(returnPath.lastIndexOf('-') + 1, returnPath.indexOf('@'));
        String storedVerp = dump("SELECT value FROM app_setting WHERE name = 'delivery.verp-key'");
        assertTrue(storedVerp.startsWith("enc1:"), storedVerp);
        for (byte[] key : candidateKeys(storedVerp)) {
            String forged = base32(Arrays.copyOf(hmac(key, "verp:" + Long.toString(4242, 36)), 8));
            assertNotEquals(mac, forged, "the dumped VERP key signs return paths");
        }

        long list = Visitors.publicList(db, "Dump erase", "single");
        String email = "erased-" + Visitors.unique() + "@example.org";
        Visitors.signUp(list, email, null).then().statusCode(200);
        api().contentType("application/json").post("/api/subscribers/" + Visitors.subscriberId(email) + "/erase")
                .then().statusCode(204);
        String fingerprint = suppressions.erasureHash(email);
        String storedSalt = dump("SELECT value FROM app_setting WHERE name = 'erasure.salt'");
        assertTrue(storedSalt.startsWith("enc1:"), storedSalt);
        for (byte[] salt : candidateKeys(storedSalt)) {
            assertNotEquals(fingerprint, HexFormat.of().formatHex(hmac(salt, email)),
                    "the dumped salt tests addresses against the erasure list");
        }
        links.preferencesUrl(1); // issuing a link makes the link key, if no test did yet
        assertEquals(3, count("SELECT COUNT(*) FROM app_setting WHERE secret AND value LIKE 'enc1:%'"
                + " AND name IN ('links.generated-key', 'delivery.verp-key', 'erasure.salt')"));
    }

    @Test
    void theDkimPrivateKeyInADumpIsNoKey() throws Exception {
        String domain = "dump" + Visitors.unique() + ".test";
        AdminBrowser admin = AdminBrowser.signIn();
        admin.open("/admin/delivery/settings");
        admin.post("/admin/delivery/settings/dkim", Map.of("domain", domain, "algorithm", "rsa-sha256",
                "selector", "")).then().statusCode(303);
        admin.open("/admin/delivery/settings").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("._domainkey." + domain));

        String stored = dump("SELECT private_key FROM dkim_key WHERE domain = '" + domain + "'");
        assertTrue(stored.startsWith("enc1:"), stored);
        for (String part : stored.split(":")) {
            for (byte[] bytes : decodings(part)) {
                boolean parsed;
                try {
                    KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(bytes));
                    parsed = true;
                } catch (Exception notAKey) {
                    parsed = false;
                }
                assertFalse(parsed, "the dump holds a usable RSA private key");
            }
        }
    }

    @Test
    void theKeyLivesInThePrivateKeyFileOfTheDataFolder() throws Exception {
        links.preferencesUrl(1); // issuing a link makes the link key, if no test did yet
        Path file = Path.of("target/test-data/secrets.key");
        assertTrue(Files.exists(file), file + " was created at the first start");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String id = dump("SELECT value FROM app_setting WHERE name = 'links.generated-key'").split(":")[1];
        assertEquals(SecretKeys.parse(Files.readString(file), "file").currentId(), id);
    }

    /** Every byte string an attacker could take for a key from a stored value: each part, as hex or as base64. */
    static List<byte[]> candidateKeys(String stored) {
        List<byte[]> keys = new ArrayList<>();
        for (String part : stored.split(":")) {
            for (byte[] bytes : decodings(part)) {
                if (bytes.length >= 16) {
                    keys.add(bytes);
                }
            }
        }
        keys.add(stored.getBytes(StandardCharsets.UTF_8));
        return keys;
    }

    static List<byte[]> decodings(String part) {
        List<byte[]> out = new ArrayList<>();
        try {
            out.add(HexFormat.of().parseHex(part));
        } catch (IllegalArgumentException notHex) {
            // not hex
        }
        for (Base64.Decoder decoder : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
            try {
                out.add(decoder.decode(part));
            } catch (IllegalArgumentException notBase64) {
                // not this alphabet
            }
        }
        return out;
    }

    /** A preference-centre token as the format in LinkSigner's documentation describes it, signed with {@code key}. */
    static String forgePreferencesToken(String keyId, byte[] key, long subscriberId) throws Exception {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(0x10 | 2);
        for (long v : new long[]{subscriberId, 0, 0, Instant.now().getEpochSecond(), 86_400}) {
            long rest = v;
            while ((rest & ~0x7FL) != 0) {
                payload.write((int) ((rest & 0x7F) | 0x80));
                rest >>>= 7;
            }
            payload.write((int) rest);
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signed = keyId + "." + b64.encodeToString(payload.toByteArray());
        return signed + "." + b64.encodeToString(Arrays.copyOf(hmac(key, signed), 16));
    }

    static byte[] hmac(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 4648 base32 in lower case without padding, as return paths carry their mac. */
    static String base32(byte[] bytes) {
        return new org.apache.commons.codec.binary.Base32().encodeAsString(bytes).toLowerCase(java.util.Locale.ROOT)
                .replace("=", "");
    }

    private String dump(String sql) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet r = s.executeQuery()) {
            assertTrue(r.next(), "no row for " + sql);
            return r.getString(1);
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}
