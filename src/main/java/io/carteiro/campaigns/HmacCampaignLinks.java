package io.carteiro.campaigns;

import io.agroal.api.AgroalDataSource;
import io.carteiro.delivery.SendingIdentity;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Issues the public pages' signed tokens ({@code <keyId>.<payload>.<mac>}: a version/purpose byte, LEB128 varints of
 * subscriber, list, campaign, issued-at and lifetime, and a 16-byte HMAC-SHA256 in base64url) with the key of
 * {@code carteiro.links.keys.*} / {@code carteiro.links.current-key}, or the generated key the public pages keep in
 * {@code app_setting}, so the links verify there. Replaced by an adapter over their {@code SignedLinks} at merge.
 */
@ApplicationScoped
@DefaultBean
class HmacCampaignLinks implements CampaignLinks {

    static final String GENERATED_KEY_SETTING = "links.generated-key";
    private static final int UNSUBSCRIBE = 1;
    private static final int PREFERENCES = 2;

    @Inject
    CampaignsConfig config;

    @Inject
    Config rawConfig;

    @ConfigProperty(name = "carteiro.public-url", defaultValue = "http://localhost:8080")
    String publicUrl;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SendingIdentity identity;

    @Inject
    Clock clock;

    private volatile SigningKey key;

    private record SigningKey(String id, SecretKeySpec spec) {
    }

    @Override
    public String unsubscribeUrl(long subscriberId, long listId, Long campaignId) {
        return base() + "/u/" + token(UNSUBSCRIBE, subscriberId, listId, campaignId);
    }

    @Override
    public String preferencesUrl(long subscriberId) {
        return base() + "/p/" + token(PREFERENCES, subscriberId, 0, null);
    }

    /**
     * {@code u-<subscriber>-<list>-<campaign>-<mac>@<bounce domain>}: ids in base 36 (campaign 0 when none), mac the
     * first 8 bytes of HMAC-SHA256(link key, ASCII {@code "mailto-unsubscribe:<subscriber>-<list>-<campaign>"}) in
     * lower-case base 32. Much shorter than a link token, so the local part stays within RFC 5321's 64 octets.
     */
    @Override
    public String unsubscribeMailbox(long subscriberId, long listId, Long campaignId) {
        String ids = Long.toString(subscriberId, 36) + "-" + Long.toString(listId, 36) + "-"
                + Long.toString(campaignId == null ? 0 : campaignId, 36);
        return "u-" + ids + "-" + base32(mac("mailto-unsubscribe:" + ids, 8)) + "@" + identity.bounceDomain();
    }

    String token(int purpose, long subscriberId, long listId, Long campaignId) {
        SigningKey k = key();
        long issued = clock.instant().getEpochSecond();
        ByteArrayOutputStream payload = new ByteArrayOutputStream(24);
        payload.write(0x10 | purpose);
        varint(payload, subscriberId);
        varint(payload, listId);
        varint(payload, campaignId == null ? 0 : campaignId);
        varint(payload, issued);
        varint(payload, config.linkLifetime().toSeconds());
        String signed = k.id() + "." + b64(payload.toByteArray());
        return signed + "." + b64(mac(signed, 16));
    }

    private byte[] mac(String signed, int bytes) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key().spec());
            return java.util.Arrays.copyOf(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)), bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String base32(byte[] bytes) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    private String base() {
        String url = publicUrl;
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private SigningKey key() {
        SigningKey k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    key = loadKey();
                }
                k = key;
            }
        }
        return k;
    }

    private SigningKey loadKey() {
        Optional<String> current = rawConfig.getOptionalValue("carteiro.links.current-key", String.class);
        String onlyConfigured = null;
        int configured = 0;
        for (String name : rawConfig.getPropertyNames()) {
            if (name.startsWith("carteiro.links.keys.")) {
                configured++;
                onlyConfigured = name.substring("carteiro.links.keys.".length());
            }
        }
        String id = current.orElse(configured == 1 ? onlyConfigured : null);
        if (id != null) {
            String secret = rawConfig.getValue("carteiro.links.keys." + id, String.class);
            return new SigningKey(id, new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        }
        String generated = generatedKey();
        int colon = generated.indexOf(':');
        return new SigningKey(generated.substring(0, colon),
                new SecretKeySpec(HexFormat.of().parseHex(generated.substring(colon + 1)), "HmacSHA256"));
    }

    /** The key the public pages generate when none is configured; whichever feature starts first creates it. */
    private String generatedKey() {
        SecureRandom random = new SecureRandom();
        byte[] id = new byte[4];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        String candidate = "g" + HexFormat.of().formatHex(id) + ":" + HexFormat.of().formatHex(secret);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT IGNORE INTO app_setting (name, value) VALUES (?, ?)")) {
                insert.setString(1, GENERATED_KEY_SETTING);
                insert.setString(2, candidate);
                insert.executeUpdate();
            }
            try (PreparedStatement read = c.prepareStatement("SELECT value FROM app_setting WHERE name = ?")) {
                read.setString(1, GENERATED_KEY_SETTING);
                try (ResultSet r = read.executeQuery()) {
                    r.next();
                    return r.getString(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the link signing key", e);
        }
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
