package io.carteiro.bounces;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Random and mutated messages through the parser: a verdict every time, never an exception. */
class BounceParserFuzzTest {

    static final long SEED = 20261128L;
    static final int MESSAGES = 10_000;
    static final String[] FIXTURES = {"postfix-user-unknown.eml", "postfix-delayed.eml", "exim-plain.eml",
            "exim-dsn-quota.eml", "exchange-ndr.eml", "gmail-dsn.eml", "gmail-blocked.eml", "yahoo-plain.eml",
            "yahoo-dsn-deferred.eml", "qmail-plain.eml", "arf-abuse.eml", "arf-redacted.eml",
            "autoreply-rfc3834.eml", "autoreply-outlook-oof.eml", "human-reply.eml", "dsn-delivered.eml"};
    static final String[] SNIPPETS = {"\r\n", "\r\n\r\n", "--", "Content-Type: multipart/report; boundary=x\r\n",
            "Content-Type: message/delivery-status\r\n", "Content-Type: message/rfc822\r\n", "=?utf-8?B?",
            "Content-Transfer-Encoding: base64\r\n", "Content-Transfer-Encoding: quoted-printable\r\n", "=\r\n",
            "Status: 5.", "Action: ", "Final-Recipient: rfc822;", ";;;;", "<>", "@", "\u0000", "\u00ff",
            "report-type=feedback-report", "charset=\"no-such-charset\"", "boundary=\"", "\t", ":"};

    private final BounceParser parser = new BounceParser(BounceRules.load());

    @Test
    void tenThousandRandomAndMutatedMessagesShouldAllGetAVerdict() throws IOException {
        List<byte[]> seeds = seeds();
        Random random = new Random(SEED);
        int verdicts = 0;
        for (int i = 0; i < MESSAGES; i++) {
            byte[] message = message(i, random, seeds);
            ParsedMessage parsed = parser.parse(message);
            assertNotNull(parsed, "message " + i);
            assertNotNull(parsed.format(), "message " + i);
            verdicts++;
        }
        assertEquals(MESSAGES, verdicts);
    }

    static List<byte[]> seeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : FIXTURES) {
            seeds.add(BounceParserTest.fixture(name));
        }
        return seeds;
    }

    /** The i-th message of a seeded run: random bytes, over-nested multiparts, or a mutated fixture. */
    static byte[] message(int i, Random random, List<byte[]> seeds) {
        return switch (i % 4) {
            case 0 -> randomBytes(random);
            case 1 -> nested(random);
            default -> mutate(seeds.get(random.nextInt(seeds.size())), random);
        };
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(2048)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Multiparts nested deeper than the parser will follow, with mismatched boundaries now and then. */
    private static byte[] nested(Random random) {
        int depth = 1 + random.nextInt(40);
        StringBuilder sb = new StringBuilder("From: MAILER-DAEMON@x.example\r\n");
        for (int d = 0; d < depth; d++) {
            String type = random.nextBoolean() ? "multipart/report; report-type=delivery-status" : "multipart/mixed";
            sb.append("Content-Type: ").append(type).append("; boundary=b").append(d).append("\r\n\r\n--b")
                    .append(random.nextInt(3) == 0 ? d + 1 : d).append("\r\n");
        }
        sb.append("Content-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; a@b.example\r\nStatus: 5.1.1\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] bytes = Arrays.copyOf(seed, seed.length);
        int mutations = 1 + random.nextInt(12);
        for (int m = 0; m < mutations; m++) {
            switch (random.nextInt(5)) {
                case 0 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                case 1 -> bytes = Arrays.copyOf(bytes, Math.max(1, random.nextInt(bytes.length)));
                case 2 -> bytes = insert(bytes, random.nextInt(bytes.length),
                        SNIPPETS[random.nextInt(SNIPPETS.length)].getBytes(StandardCharsets.UTF_8));
                case 3 -> {
                    int from = random.nextInt(bytes.length);
                    int length = Math.min(bytes.length - from, random.nextInt(200));
                    bytes = insert(bytes, random.nextInt(bytes.length), Arrays.copyOfRange(bytes, from, from + length));
                }
                default -> {
                    int from = random.nextInt(bytes.length);
                    int length = Math.min(bytes.length - from - 1, random.nextInt(100));
                    if (length > 0) {
                        byte[] cut = new byte[bytes.length - length];
                        System.arraycopy(bytes, 0, cut, 0, from);
                        System.arraycopy(bytes, from + length, cut, from, bytes.length - from - length);
                        bytes = cut;
                    }
                }
            }
        }
        return bytes;
    }

    private static byte[] insert(byte[] bytes, int at, byte[] piece) {
        byte[] out = new byte[bytes.length + piece.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(piece, 0, out, at, piece.length);
        System.arraycopy(bytes, at, out, at + piece.length, bytes.length - at);
        return out;
    }
}
