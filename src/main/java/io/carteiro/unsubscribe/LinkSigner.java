package io.carteiro.unsubscribe;

import io.carteiro.text.Varints;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Signs and verifies link tokens with HMAC-SHA256 under named keys, so keys can be rotated without breaking links
 * already sent.
 *
 * <p>Token format (all URL-safe): {@code <keyId>.<payload>.<mac>} where {@code payload} is base64url (no padding)
 * of: one byte {@code 0x10 | purpose}, then unsigned LEB128 varints subscriber id, list id (0 = none), campaign id
 * (0 = none), issued-at (epoch seconds), lifetime in seconds (0 = never expires); and {@code mac} is base64url of the
 * first 16 bytes of HMAC-SHA256(key, ASCII {@code "<keyId>.<payload>"}). Signatures are compared in constant time.
 */
final class LinkSigner implements LinkKeys {

    static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,16}");
    private static final int VERSION = 0x10;
    private static final int MAC_BYTES = 16;
    private static final int MAX_TOKEN_LENGTH = 200;

    /** Why a token was refused. */
    enum Rejection {
        MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE, WRONG_PURPOSE, EXPIRED
    }

    /** The outcome of checking a token: the token it carries, or why it was refused. */
    sealed interface Checked permits Valid, Refused {
    }

    record Valid(LinkToken token) implements Checked {
    }

    record Refused(Rejection reason) implements Checked {
    }

    private final Map<String, SecretKeySpec> keys;
    private final String currentKeyId;
    private final Clock clock;

    LinkSigner(Map<String, byte[]> keys, String currentKeyId, Clock clock) {
        if (!keys.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("current link key '" + currentKeyId + "' is not among the keys "
                    + keys.keySet());
        }
        Map<String, SecretKeySpec> specs = new LinkedHashMap<>();
        keys.forEach((id, secret) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("link key id '" + id + "' must be 1-16 characters of A-Z a-z 0-9 _ -");
            }
            if (secret.length < 16) {
                throw new IllegalArgumentException("link key '" + id + "' is shorter than 16 bytes");
            }
            specs.put(id, new SecretKeySpec(secret, "HmacSHA256"));
        });
        this.keys = Map.copyOf(specs);
        this.currentKeyId = currentKeyId;
        this.clock = clock;
    }

    @Override
    public String currentKeyId() {
        return currentKeyId;
    }

    @Override
    public Optional<SecretKeySpec> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    /** A token of this purpose issued now, valid for {@code lifetime} (null: never expires). */
    String issue(LinkToken.Purpose purpose, long subscriberId, long listId, Long campaignId, Duration lifetime) {
        Instant now = clock.instant();
        return sign(new LinkToken(purpose, subscriberId, listId, Optional.ofNullable(campaignId), now,
                Optional.ofNullable(lifetime).map(now::plus)));
    }

    String sign(LinkToken token) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(24);
        out.write(VERSION | token.purpose().code);
        Varints.write(out, token.subscriberId());
        Varints.write(out, token.listId());
        Varints.write(out, token.campaignId().orElse(0L));
        long issued = token.issuedAt().getEpochSecond();
        Varints.write(out, issued);
        Varints.write(out, token.expiresAt().map(e -> Math.max(1, e.getEpochSecond() - issued)).orElse(0L));
        String signed = currentKeyId + "." + b64(out.toByteArray());
        return signed + "." + b64(mac(keys.get(currentKeyId), signed));
    }

    /**
     * The local part of a {@code mailto:} unsubscribe address: {@code u-<key id>-<subscriber>-<list>-<campaign>-<mac>}
     * with ids in base 36 (campaign 0 when none) and the first 10 bytes of HMAC-SHA256 over
     * {@code "mailto:" + the part before the mac} in lower-case hex. Short enough for RFC 5321's 64 octets with the
     * ids of a real installation; case-insensitive, as mail systems may change the case of local parts.
     */
    String mailbox(long subscriberId, long listId, Long campaignId) {
        String ids = "u-" + currentKeyId.toLowerCase(Locale.ROOT) + "-" + Long.toString(subscriberId, 36) + "-"
                + Long.toString(listId, 36) + "-" + Long.toString(campaignId == null ? 0 : campaignId, 36);
        return ids + "-" + mailboxMac(keys.get(currentKeyId), ids);
    }

    /** The subscriber, list and campaign (0: none) a genuine {@link #mailbox} local part names; never throws. */
    Optional<long[]> checkMailbox(String localPart) {
        if (localPart == null || localPart.length() > 64) {
            return Optional.empty();
        }
        String text = localPart.toLowerCase(Locale.ROOT);
        String[] parts = text.split("-");
        if (parts.length < 6 || !parts[0].equals("u")) {
            return Optional.empty();
        }
        int n = parts.length;
        String keyId = String.join("-", java.util.Arrays.copyOfRange(parts, 1, n - 4));
        SecretKeySpec key = keys.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(keyId))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (key == null) {
            return Optional.empty();
        }
        String signed = text.substring(0, text.lastIndexOf('-'));
        byte[] expected = mailboxMac(key, signed).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[n - 1].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new long[]{Long.parseLong(parts[n - 4], 36), Long.parseLong(parts[n - 3], 36),
                    Long.parseLong(parts[n - 2], 36)});
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String mailboxMac(SecretKeySpec key, String signed) {
        return java.util.HexFormat.of().formatHex(java.util.Arrays.copyOf(mac(key, "mailto:" + signed), 10));
    }

    /** Checks signature, purpose and expiry; never throws on bad input. */
    Checked check(String text, LinkToken.Purpose expected) {
        if (text == null || text.length() > MAX_TOKEN_LENGTH) {
            return new Refused(Rejection.MALFORMED);
        }
        int first = text.indexOf('.');
        int last = text.lastIndexOf('.');
        if (first <= 0 || last == first || last == text.length() - 1) {
            return new Refused(Rejection.MALFORMED);
        }
        SecretKeySpec key = keys.get(text.substring(0, first));
        if (key == null) {
            return new Refused(Rejection.UNKNOWN_KEY);
        }
        byte[] given;
        byte[] payload;
        try {
            given = Base64.getUrlDecoder().decode(text.substring(last + 1));
            payload = Base64.getUrlDecoder().decode(text.substring(first + 1, last));
        } catch (IllegalArgumentException e) {
            return new Refused(Rejection.MALFORMED);
        }
        if (!MessageDigest.isEqual(mac(key, text.substring(0, last)), given)) {
            return new Refused(Rejection.BAD_SIGNATURE);
        }
        Optional<LinkToken> token = decode(payload);
        if (token.isEmpty()) {
            return new Refused(Rejection.MALFORMED);
        }
        if (token.get().purpose() != expected) {
            return new Refused(Rejection.WRONG_PURPOSE);
        }
        if (token.get().expiredAt(clock.instant())) {
            return new Refused(Rejection.EXPIRED);
        }
        return new Valid(token.get());
    }

    private static Optional<LinkToken> decode(byte[] payload) {
        if (payload.length < 6 || (payload[0] & 0xF0) != VERSION) {
            return Optional.empty();
        }
        Optional<LinkToken.Purpose> purpose = LinkToken.Purpose.ofCode(payload[0] & 0x0F);
        ByteBuffer in = ByteBuffer.wrap(payload, 1, payload.length - 1);
        long[] fields = new long[5];
        for (int i = 0; i < fields.length; i++) {
            long value = Varints.read(in);
            if (value < 0) {
                return Optional.empty();
            }
            fields[i] = value;
        }
        if (purpose.isEmpty() || in.hasRemaining() || fields[0] == 0) {
            return Optional.empty();
        }
        Instant issued = Instant.ofEpochSecond(fields[3]);
        return Optional.of(new LinkToken(purpose.get(), fields[0], fields[1],
                fields[2] == 0 ? Optional.empty() : Optional.of(fields[2]), issued,
                fields[4] == 0 ? Optional.empty() : Optional.of(issued.plusSeconds(fields[4]))));
    }

    private static byte[] mac(SecretKeySpec key, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] full = mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
            byte[] truncated = new byte[MAC_BYTES];
            System.arraycopy(full, 0, truncated, 0, MAC_BYTES);
            return truncated;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
