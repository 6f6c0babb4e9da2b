package io.carteiro.bounces;

import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the listener puts DATA while it arrives: the first bytes of a message in memory, the rest in a file of the
 * spool folder, against one budget for all messages, so that no number of concurrent large messages fills the heap
 * and the disk use has a ceiling. A file lives until its message is processed.
 */
final class MessageSpool {

    private static final Logger LOG = Logger.getLogger(MessageSpool.class);

    private final Path dir;
    private final int inMemory;
    private final long budget;
    private final AtomicLong used = new AtomicLong();

    MessageSpool(Path dir, int inMemory, long budget) {
        this.dir = dir;
        this.inMemory = inMemory;
        this.budget = budget;
    }

    /** Creates the folder and deletes what a previous run left (messages it never answered 250 to, or processed). */
    void open() {
        try {
            Files.createDirectories(dir);
            int left = 0;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.eml")) {
                for (Path file : files) {
                    Files.deleteIfExists(file);
                    left++;
                }
            }
            if (left > 0) {
                LOG.infof("bounce listener: deleted %d spool files left by the previous run in %s", left, dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the bounce spool folder " + dir.toAbsolutePath()
                    + " (carteiro.bounce.spool-dir)", e);
        }
    }

    /** Bytes held in spool files now. */
    long used() {
        return used.get();
    }

    Sink sink() {
        return new Sink();
    }

    /** One message being received. Bytes beyond the budget are counted but not kept ({@link #overBudget()}). */
    final class Sink extends OutputStream {

        private ByteArrayOutputStream memory = new ByteArrayOutputStream(Math.min(inMemory, 8192));
        private Path file;
        private OutputStream out;
        private long size;
        private long reserved;
        private boolean overBudget;

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            size += len;
            if (overBudget) {
                return;
            }
            if (file == null && memory.size() + len <= inMemory) {
                memory.write(b, off, len);
                return;
            }
            long need = (file == null ? memory.size() : 0) + len;
            if (used.addAndGet(need) > budget) {
                used.addAndGet(-need);
                overBudget = true;
                discardFile();
                return;
            }
            reserved += need;
            if (file == null) {
                file = Files.createTempFile(dir, "inbound-", ".eml");
                out = Files.newOutputStream(file, StandardOpenOption.WRITE);
                memory.writeTo(out);
                memory = null;
            }
            out.write(b, off, len);
        }

        /** Bytes received, kept or not. */
        long size() {
            return size;
        }

        /** Whether the spool budget ran out while this message arrived (it is then not kept). */
        boolean overBudget() {
            return overBudget;
        }

        /** The message received, once DATA has ended. */
        RawMessage message() throws IOException {
            if (file == null) {
                return RawMessage.of(memory.toByteArray());
            }
            out.close();
            return new RawMessage.Spooled(file, size);
        }

        /** Deletes the spool file and gives its bytes back to the budget. */
        @Override
        public void close() {
            discardFile();
        }

        private void discardFile() {
            try {
                if (out != null) {
                    out.close();
                }
                if (file != null) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                LOG.warnf("bounce listener: cannot delete spool file %s: %s", file, e.getMessage());
            } finally {
                out = null;
                file = null;
                memory = overBudget ? null : memory;
                used.addAndGet(-reserved);
                reserved = 0;
            }
        }
    }
}
