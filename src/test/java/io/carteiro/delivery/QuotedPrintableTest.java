package io.carteiro.delivery;

import org.eclipse.angus.mail.util.QPEncoderStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The engine's encoder must write exactly what Angus Mail's quoted-printable stream writes. */
class QuotedPrintableTest {

    private static byte[] ours(byte[] in) {
        ByteSink sink = new ByteSink(in.length);
        QuotedPrintable.encode(in, sink);
        return sink.toByteArray();
    }

    private static byte[] angus(byte[] in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (QPEncoderStream qp = new QPEncoderStream(out)) {
            qp.write(in);
        }
        return out.toByteArray();
    }

    @Test
    void textWithAccentsSpacesAndLongLinesShouldEncodeAsAngusDoes() throws IOException {
        String text = "Olá Ana,\r\n" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit = ".repeat(5)
                + "\r\ntrailing space \r\ntab\there\r\n\r\nend with space ";
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(new String(angus(in), StandardCharsets.US_ASCII),
                new String(ours(in), StandardCharsets.US_ASCII));
    }

    @Test
    void randomBytesShouldEncodeAsAngusDoes() throws IOException {
        Random random = new Random(2045);
        byte[] alphabet = " \r\n\t=.aZ09\u00e1".getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 500; round++) {
            byte[] in = new byte[random.nextInt(400)];
            for (int i = 0; i < in.length; i++) {
                in[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            assertArrayEquals(angus(in), ours(in), "round " + round);
        }
    }
}
