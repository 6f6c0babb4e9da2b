package io.carteiro.bounces;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The bytes of one inbound message, wherever they are: in memory (small messages, the polled mailbox) or in a spool
 * file (large DATA at the listener), so that a message is never held whole in the heap to be parsed or stored.
 */
sealed interface RawMessage {

    /** Size in bytes. */
    long size();

    /** The first {@code max} bytes (all of them for a smaller message): what the parser reads. */
    byte[] head(int max);

    /** The whole message, read from its start. */
    InputStream open() throws IOException;

    static RawMessage of(byte[] bytes) {
        return new InMemory(bytes);
    }

    /** Bytes held in memory. */
    record InMemory(byte[] bytes) implements RawMessage {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public byte[] head(int max) {
            return bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }
    }

    /** Bytes in a spool file that the listener deletes once the message is processed. */
    record Spooled(Path file, long size) implements RawMessage {
        @Override
        public byte[] head(int max) {
            try (InputStream in = Files.newInputStream(file)) {
                return in.readNBytes(max);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read spooled message " + file, e);
            }
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }
    }
}
