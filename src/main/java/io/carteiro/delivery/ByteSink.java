package io.carteiro.delivery;

import java.util.Arrays;

/**
 * A growable byte buffer without locks, for building a message body byte by byte ({@code ByteArrayOutputStream}
 * takes its lock on every write).
 */
final class ByteSink {

    private byte[] bytes;
    private int size;

    ByteSink(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    void write(int b) {
        if (size == bytes.length) {
            bytes = Arrays.copyOf(bytes, size * 2);
        }
        bytes[size++] = (byte) b;
    }

    void write(byte[] b, int off, int len) {
        if (size + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size * 2, size + len));
        }
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    void writeBytes(byte[] b) {
        write(b, 0, b.length);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }
}
