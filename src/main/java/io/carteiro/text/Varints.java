package io.carteiro.text;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Unsigned LEB128 varints, the compact number encoding inside Carteiro's signed link tokens (unsubscribe and
 * preference links, tracking redirects): small ids take one or two bytes, so a token stays short in a URL.
 */
public final class Varints {

    private Varints() {
    }

    /** Appends {@code value} (never negative: a token never carries one). */
    public static void write(ByteArrayOutputStream out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value in a token: " + value);
        }
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** The next varint, or -1 when the input is truncated or the value does not fit 63 bits. */
    public static long read(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (!in.hasRemaining()) {
                return -1;
            }
            int b = in.get() & 0xFF;
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }
}
