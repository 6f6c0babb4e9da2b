package io.carteiro.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The return path of each outbound message: {@code b-<id>-<mac>@<bounce domain>}, where the id is the outbound
 * message id in base 36 and the mac a truncated HMAC-SHA256 of it in base 32, so a bounce names its message and
 * cannot be forged to blame another one.
 */
@ApplicationScoped
public class VerpAddress {

    static final String PREFIX = "b-";
    static final int MAC_BYTES = 8;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    @Inject
    VerpKey key;

    @Inject
    SendingIdentity identity;

    /** The envelope sender (MAIL FROM / Return-Path) for this outbound message. */
    public String returnPath(long outboundMessageId) {
        if (outboundMessageId <= 0) {
            throw new IllegalArgumentException("outbound message id must be positive, was " + outboundMessageId);
        }
        String id = Long.toString(outboundMessageId, 36);
        return PREFIX + id + "-" + base32(mac(id)) + "@" + identity.bounceDomain();
    }

    /**
     * The outbound message id carried by a return path, if the address is on the bounce domain and its mac is
     * right; empty for anything else (compared in constant time).
     */
    public OptionalLong decode(String address) {
        if (address == null) {
            return OptionalLong.empty();
        }
        String a = address.strip();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        a = a.toLowerCase(Locale.ROOT);
        int at = a.lastIndexOf('@');
        if (at < 0 || !a.substring(at + 1).equals(identity.bounceDomain()) || !a.startsWith(PREFIX)) {
            return OptionalLong.empty();
        }
        String token = a.substring(PREFIX.length(), at);
        int dash = token.indexOf('-');
        if (dash <= 0 || dash > 13) {
            return OptionalLong.empty();
        }
        String id = token.substring(0, dash);
        OptionalLong value = RowIds.decode(id);
        if (value.isEmpty()) {
            return value;
        }
        byte[] expected = base32(mac(id)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] given = token.substring(dash + 1).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? value : OptionalLong.empty();
    }

    private byte[] mac(String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
            byte[] full = mac.doFinal(("verp:" + id).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return java.util.Arrays.copyOf(full, MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }
}
