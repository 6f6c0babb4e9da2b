package io.carteiro.engagement;

import io.carteiro.text.Varints;
import io.carteiro.unsubscribe.LinkKeys;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Signs and checks the tokens of tracked links, open images and keep-me links with the keys of every other signed
 * link ({@link LinkKeys}), so one rotation covers them all.
 *
 * <p>Token: {@code <keyId>.<payload>.<mac>}, URL-safe. {@code payload} is base64url (no padding) of one byte
 * {@code 0x20 | (anonymous ? 0x08 : 0) | kind}, then unsigned LEB128 varints campaign id, list id, recipient key,
 * sent-at (epoch seconds), link number, then the recipient domain in ASCII to the end. {@code mac} is base64url of
 * the first 16 bytes of HMAC-SHA256(key, ASCII {@code "t:<keyId>.<payload>"}); the {@code t:} prefix keeps these
 * signatures apart from the unsubscribe links' ({@code "<keyId>.<payload>"}) under the same key. Compared in
 * constant time; nothing here throws on bad input.
 */
final class TrackingTokens {

    private static final int VERSION = 0x20;
    private static final int ANONYMOUS = 0x08;
    private static final int MAC_BYTES = 16;
    static final int MAX_TOKEN_LENGTH = 600;
    private static final int MAX_DOMAIN = 253;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** One thread's initialised MACs by key id: {@code Mac.getInstance} and {@code init} cost more than a MAC. */
    private final ThreadLocal<Map<String, Mac>> macs = ThreadLocal.withInitial(HashMap::new);

    private final LinkKeys keys;

    TrackingTokens(LinkKeys keys) {
        this.keys = keys;
    }

    String issue(TrackingToken token) {
        return sign(prefix(token.kind(), token.campaignId(), token.listId(), token.anonymous(), token.recipientKey(),
                token.sentAt()), token.linkNo(), domainBytes(token.domain()));
    }

    /**
     * The payload bytes every link of one message shares, before its link number; {@link #sign} adds the rest, so
     * a message with many links encodes its ids once.
     */
    static byte[] prefix(TrackingToken.Kind kind, long campaignId, long listId, boolean anonymous, long recipientKey,
                         Instant sentAt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(24);
        out.write(VERSION | (anonymous ? ANONYMOUS : 0) | kind.code);
        Varints.write(out, campaignId);
        Varints.write(out, listId);
        Varints.write(out, recipientKey);
        Varints.write(out, sentAt.getEpochSecond());
        return out.toByteArray();
    }

    static byte[] domainBytes(String domain) {
        return domain == null ? new byte[0] : domain.getBytes(StandardCharsets.US_ASCII);
    }

    /** The token of link {@code linkNo} of the message whose {@link #prefix} and domain are given. */
    String sign(byte[] prefix, int linkNo, byte[] domain) {
        byte[] payload = new byte[prefix.length + 5 + domain.length];
        System.arraycopy(prefix, 0, payload, 0, prefix.length);
        int at = prefix.length;
        long v = linkNo;
        while ((v & ~0x7FL) != 0) {
            payload[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        payload[at++] = (byte) v;
        System.arraycopy(domain, 0, payload, at, domain.length);
        at += domain.length;
        String keyId = keys.currentKeyId();
        String body = keyId + "." + B64.encodeToString(at == payload.length ? payload
                : java.util.Arrays.copyOf(payload, at));
        return body + "." + B64.encodeToString(mac(keyId, body));
    }

    /** The token this text carries, when its signature is good and its content well-formed. */
    Optional<TrackingToken> check(String text) {
        if (text == null || text.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        int first = text.indexOf('.');
        int last = text.lastIndexOf('.');
        if (first <= 0 || last == first || last == text.length() - 1) {
            return Optional.empty();
        }
        String keyId = text.substring(0, first);
        if (keys.key(keyId).isEmpty()) {
            return Optional.empty();
        }
        byte[] given;
        byte[] payload;
        try {
            given = Base64.getUrlDecoder().decode(text.substring(last + 1));
            payload = Base64.getUrlDecoder().decode(text.substring(first + 1, last));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac(keyId, text.substring(0, last)), given)) {
            return Optional.empty();
        }
        return decode(payload);
    }

    private static Optional<TrackingToken> decode(byte[] payload) {
        if (payload.length < 6 || (payload[0] & 0xF0) != VERSION) {
            return Optional.empty();
        }
        TrackingToken.Kind kind = TrackingToken.Kind.ofCode(payload[0] & 0x07);
        ByteBuffer in = ByteBuffer.wrap(payload, 1, payload.length - 1);
        long[] fields = new long[5];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = Varints.read(in);
            if (fields[i] < 0) {
                return Optional.empty();
            }
        }
        if (kind == null || fields[4] > Integer.MAX_VALUE || in.remaining() > MAX_DOMAIN) {
            return Optional.empty();
        }
        byte[] domain = new byte[in.remaining()];
        in.get(domain);
        for (byte b : domain) {
            boolean ok = b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '.' || b == '-';
            if (!ok) {
                return Optional.empty();
            }
        }
        return Optional.of(new TrackingToken(kind, fields[0], fields[1], (payload[0] & ANONYMOUS) != 0, fields[2],
                Instant.ofEpochSecond(fields[3]), (int) fields[4], new String(domain, StandardCharsets.US_ASCII)));
    }

    private byte[] mac(String keyId, String body) {
        Mac mac = macs.get().computeIfAbsent(keyId, this::newMac);
        byte[] full = mac.doFinal(("t:" + body).getBytes(StandardCharsets.US_ASCII));
        byte[] truncated = new byte[MAC_BYTES];
        System.arraycopy(full, 0, truncated, 0, MAC_BYTES);
        return truncated;
    }

    private Mac newMac(String keyId) {
        SecretKeySpec key = keys.key(keyId).orElseThrow(() -> new IllegalStateException("no link key " + keyId));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
