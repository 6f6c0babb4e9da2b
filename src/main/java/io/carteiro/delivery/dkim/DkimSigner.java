package io.carteiro.delivery.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Produces a DKIM-Signature (RFC 6376) with relaxed/relaxed canonicalization, rsa-sha256 or ed25519-sha256
 * (RFC 8463: Ed25519 over the SHA-256 hash of the canonicalized header data).
 */
public final class DkimSigner {

    /** Header fields signed when present (the order of the message decides which instance, bottom-up). */
    static final List<String> SIGNED = List.of("from", "reply-to", "subject", "date", "to", "cc", "message-id",
            "mime-version", "content-type", "content-transfer-encoding", "list-id", "list-unsubscribe",
            "list-unsubscribe-post", "feedback-id", "in-reply-to", "references");

    private DkimSigner() {
    }

    /** One header field as it appears in the message (the value may be folded with CRLF + WSP). */
    public record Field(String name, String value) {
    }

    /** The value of the DKIM-Signature field for this message (folded, ready to put first in the header). */
    public static String sign(List<Field> headers, byte[] body, DkimKey key, Instant now) {
        List<Field> signed = new ArrayList<>();
        Set<String> wanted = Set.copyOf(SIGNED);
        for (Field f : headers) {
            if (wanted.contains(f.name().toLowerCase(Locale.ROOT))) {
                signed.add(f);
            }
        }
        StringBuilder h = new StringBuilder();
        if (signed.stream().anyMatch(f -> f.name().equalsIgnoreCase("from"))) {
            // Oversigned: the extra "from" names an instance that does not exist, so a From added on the way
            // breaks the signature (RFC 6376 §8.15).
            h.append("from");
        }
        for (Field f : signed) {
            if (!h.isEmpty()) {
                h.append(':');
            }
            h.append(f.name().toLowerCase(Locale.ROOT));
        }
        String bodyHash = Base64.getEncoder().encodeToString(sha256(relaxedBody(body)));
        String value = "v=1; a=" + key.algorithm().tag() + "; c=relaxed/relaxed; d=" + key.domain() + "; s="
                + key.selector() + ";\r\n\tt=" + now.getEpochSecond() + "; h=" + h + ";\r\n\tbh=" + bodyHash
                + ";\r\n\tb=";
        StringBuilder data = new StringBuilder();
        for (Field f : signed) {
            data.append(relaxedHeader(f.name(), f.value())).append("\r\n");
        }
        data.append(relaxedHeader("DKIM-Signature", value));
        byte[] input = data.toString().getBytes(StandardCharsets.UTF_8);
        byte[] signature;
        try {
            if (key.algorithm() == DkimAlgorithm.RSA_SHA256) {
                Signature rsa = Signature.getInstance("SHA256withRSA");
                rsa.initSign(key.privateKey());
                rsa.update(input);
                signature = rsa.sign();
            } else {
                Signature ed = Signature.getInstance("Ed25519");
                ed.initSign(key.privateKey());
                ed.update(sha256(input));
                signature = ed.sign();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DKIM signing failed for " + key.domain(), e);
        }
        return value + fold(Base64.getEncoder().encodeToString(signature));
    }

    /** RFC 6376 §3.4.2: lower-case name, unfolded value with runs of WSP as one SP, no WSP at either end. */
    static String relaxedHeader(String name, String value) {
        String unfolded = value.replace("\r\n", "");
        StringBuilder out = new StringBuilder(name.length() + unfolded.length() + 1);
        out.append(name.toLowerCase(Locale.ROOT).strip()).append(':');
        boolean space = false;
        boolean started = false;
        for (int i = 0; i < unfolded.length(); i++) {
            char c = unfolded.charAt(i);
            if (c == ' ' || c == '\t') {
                space = started;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
                started = true;
            }
        }
        return out.toString();
    }

    /**
     * RFC 6376 §3.4.4: runs of WSP within a line become one SP, WSP at line ends goes, empty lines at the end go,
     * and a non-empty body ends with CRLF.
     */
    static byte[] relaxedBody(byte[] body) {
        byte[] out = new byte[body.length + 2];
        int size = 0;
        int pendingEmptyLines = 0;
        int i = 0;
        while (i < body.length) {
            int end = i;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            int lineEnd = end > i && body[end - 1] == '\r' ? end - 1 : end;
            boolean empty = true;
            boolean space = false;
            for (int j = i; j < lineEnd; j++) {
                byte b = body[j];
                if (b == ' ' || b == '\t') {
                    space = true;
                    continue;
                }
                if (empty) {
                    int needed = size + 2 * pendingEmptyLines + (lineEnd - i) + 2;
                    if (needed > out.length) {
                        out = Arrays.copyOf(out, Math.max(needed, out.length * 2));
                    }
                    for (; pendingEmptyLines > 0; pendingEmptyLines--) {
                        out[size++] = '\r';
                        out[size++] = '\n';
                    }
                    empty = false;
                }
                if (space) {
                    out[size++] = ' ';
                    space = false;
                }
                out[size++] = b;
            }
            if (empty) {
                pendingEmptyLines++;
            } else {
                out[size++] = '\r';
                out[size++] = '\n';
            }
            i = end + 1;
        }
        return Arrays.copyOf(out, size);
    }

    private static String fold(String base64) {
        StringBuilder out = new StringBuilder(base64.length() + base64.length() / 70 * 3);
        for (int i = 0; i < base64.length(); i += 70) {
            if (i > 0) {
                out.append("\r\n\t ");
            }
            out.append(base64, i, Math.min(base64.length(), i + 70));
        }
        return out.toString();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
