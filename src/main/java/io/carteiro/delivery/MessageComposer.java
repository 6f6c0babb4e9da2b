package io.carteiro.delivery;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;

import java.io.ByteArrayOutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds the RFC 5322 message: From, To, Subject (RFC 2047 encoded when needed), Date, Message-ID, MIME-Version,
 * the passed-through headers, and a multipart/alternative body of a quoted-printable text and HTML part (or one of
 * them alone). Lines end in CRLF.
 */
final class MessageComposer {

    /** RFC 5322 §3.3 with a numeric zone (RFC_1123_DATE_TIME writes "GMT", an obsolete zone name). */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss '+0000'",
            java.util.Locale.ROOT).withZone(ZoneOffset.UTC);

    private MessageComposer() {
    }

    /** A header field as it will be written (value already encoded and folded). */
    record Header(String name, String value) {
    }

    /** The message split for signing: header fields in order and the body bytes. */
    record Composed(List<Header> headers, byte[] body) {

        Composed withFirst(Header header) {
            List<Header> all = new ArrayList<>(headers.size() + 1);
            all.add(header);
            all.addAll(headers);
            return new Composed(all, body);
        }

        byte[] toBytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 2048);
            for (Header h : headers) {
                out.writeBytes((h.name() + ": " + h.value() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes(new byte[]{'\r', '\n'});
            out.writeBytes(body);
            return out.toByteArray();
        }
    }

    static Composed compose(OutboundRow row, RenderedMessage content, String messageId, Instant date) {
        return compose(row.recipient(), content, messageId, date);
    }

    static Composed compose(String recipient, RenderedMessage content, String messageId, Instant date) {
        List<Header> headers = new ArrayList<>();
        headers.add(new Header("From", encodeAddress(content.from())));
        headers.add(new Header("To", recipient));
        headers.add(new Header("Subject", encodeText("Subject", content.subject())));
        headers.add(new Header("Date", DATE.format(date)));
        headers.add(new Header("Message-ID", messageId));
        headers.add(new Header("MIME-Version", "1.0"));
        for (Map.Entry<String, String> extra : content.headers().entrySet()) {
            String value = extra.getValue();
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + extra.getKey() + " holds a line break");
            }
            headers.add(new Header(extra.getKey(), isAscii(value) ? MimeUtility.fold(extra.getKey().length() + 2,
                    value) : encodeText(extra.getKey(), value)));
        }
        ByteSink body = new ByteSink(estimate(content));
        boolean hasText = content.text() != null && !content.text().isEmpty();
        boolean hasHtml = content.html() != null && !content.html().isEmpty();
        if (hasText && hasHtml) {
            String boundary = "=_carteiro_" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
            headers.add(new Header("Content-Type", "multipart/alternative;\r\n\tboundary=\"" + boundary + "\""));
            write(body, "This is a multipart message in MIME format.\r\n\r\n--" + boundary + "\r\n");
            part(body, "text/plain", content.text(), true);
            write(body, "\r\n--" + boundary + "\r\n");
            part(body, "text/html", content.html(), true);
            write(body, "\r\n--" + boundary + "--\r\n");
        } else {
            String type = hasHtml ? "text/html" : "text/plain";
            headers.add(new Header("Content-Type", type + "; charset=UTF-8"));
            headers.add(new Header("Content-Transfer-Encoding", "quoted-printable"));
            part(body, type, hasHtml ? content.html() : content.text(), false);
            write(body, "\r\n");
        }
        return new Composed(headers, body.toByteArray());
    }

    private static void part(ByteSink body, String type, String content, boolean withHeaders) {
        if (withHeaders) {
            write(body, "Content-Type: " + type + "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable"
                    + "\r\n\r\n");
        }
        QuotedPrintable.encode(crlf(content).getBytes(StandardCharsets.UTF_8), body);
    }

    /** Normalises every line end to CRLF, which the quoted-printable encoder keeps as hard line breaks. */
    static String crlf(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
    }

    static String encodeAddress(String from) {
        InternetAddress address = OutboundQueue.parseFrom(from);
        try {
            if (address.getPersonal() != null) {
                address.setPersonal(address.getPersonal(), "UTF-8");
            }
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
        return MimeUtility.fold(6, address.toString());
    }

    static String encodeText(String name, String text) {
        if (isAscii(text)) {
            return MimeUtility.fold(name.length() + 2, text);
        }
        try {
            return MimeUtility.fold(name.length() + 2, MimeUtility.encodeText(text, "UTF-8", "Q"));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 126) {
                return false;
            }
        }
        return true;
    }

    private static int estimate(RenderedMessage content) {
        return (content.html() == null ? 0 : content.html().length() * 11 / 10)
                + (content.text() == null ? 0 : content.text().length() * 11 / 10) + 512;
    }

    private static void write(ByteSink out, String ascii) {
        out.writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
    }
}
