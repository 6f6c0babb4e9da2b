package io.carteiro.delivery;

import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The RFC 5322 Message-ID of each queued message the engine names itself: {@code <id.mac@sender domain>}, with the
 * queue row id in base 36 and a truncated HMAC-SHA256 of it (hex) under the VERP key. A report that quotes the Message-ID
 * (a DSN that lost its VERP address, a feedback report) names its message only if the mac is right, so nobody can
 * forge a report about a message whose Message-ID they have not seen.
 */
@ApplicationScoped
public class MessageIds {

    static final int MAC_BYTES = 10;
    private static final String PURPOSE = "message-id:";
    private static final HexFormat HEX = HexFormat.of();

    private final VerpKey key;

    MessageIds(VerpKey key) {
        this.key = key;
    }

    /** The Message-ID of this row: the one it already has (set at queueing or by an earlier attempt), else a signed one. */
    public String messageIdOf(OutboundRow row) {
        if (row.messageId() != null) {
            return row.messageId();
        }
        return signed(row.id(), row.sender().substring(row.sender().lastIndexOf('@') + 1));
    }

    /** A signed Message-ID for queue row {@code outboundMessageId} on {@code domain}. */
    String signed(long outboundMessageId, String domain) {
        String id = RowIds.encode(outboundMessageId);
        return "<" + id + "." + HEX.formatHex(mac(id)) + "@" + domain.toLowerCase(Locale.ROOT) + ">";
    }

    /**
     * The queue row id a Message-ID names, when it is one this engine signed (with or without angle brackets);
     * empty for any other, including one whose mac does not match (compared in constant time).
     */
    public OptionalLong decode(String messageId) {
        if (messageId == null) {
            return OptionalLong.empty();
        }
        String m = messageId.strip();
        if (m.startsWith("<") && m.endsWith(">")) {
            m = m.substring(1, m.length() - 1);
        }
        int at = m.lastIndexOf('@');
        int dot = m.indexOf('.');
        if (at < 0 || dot <= 0 || dot > 13 || dot > at) {
            return OptionalLong.empty();
        }
        String id = m.substring(0, dot).toLowerCase(Locale.ROOT);
        OptionalLong value = RowIds.decode(id);
        if (value.isEmpty()) {
            return value;
        }
        byte[] expected = HEX.formatHex(mac(id)).getBytes(StandardCharsets.US_ASCII);
        byte[] given = m.substring(dot + 1, at).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? value : OptionalLong.empty();
    }

    private byte[] mac(String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal((PURPOSE + id).getBytes(StandardCharsets.US_ASCII)), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
