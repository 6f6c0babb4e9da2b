package io.carteiro.delivery;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What this instance settled and the database has not stored yet: every result is appended here the moment it is
 * known (a {@code 250} came back, say) and forced to disk by a thread of its own, one fsync for everything appended
 * meanwhile, whether or not the database answers; so neither a database outage nor a crash (nor a power cut a
 * moment later) makes the engine send accepted mail again. One file per running instance in
 * {@code <data-dir>/delivery-journal/}, locked while the instance lives and emptied whenever everything in it is
 * stored; a file whose lock can be taken belongs to a dead instance and is replayed by whoever finds it (entries
 * are idempotent, see {@link OutboundRepository#write}).
 */
final class OutcomeJournal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutcomeJournal.class);
    static final String SUFFIX = ".journal";
    /** Once everything in the file is stored and it has grown past this, it is emptied. */
    static final long TRUNCATE_ABOVE = 1 << 20;

    /** A dead instance's journal: its entries, and the lock held while they are replayed. */
    record Orphan(Path file, String owner, List<OutcomeEntry> entries, FileChannel channel) {
        /** Deletes the file once its entries are stored. */
        void discard() throws IOException {
            Files.deleteIfExists(file);
            channel.close();
        }

        /** Leaves the file for a later attempt. */
        void keep() throws IOException {
            channel.close();
        }
    }

    private final ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final Path dir;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Thread syncer;
    private long unstored; // guarded by this
    private long appended; // guarded by this: entries appended so far
    private long synced; // guarded by this: entries on disk so far
    private boolean closing; // guarded by this

    private OutcomeJournal(Path dir, Path file, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        syncer = new Thread(this::syncLoop, "carteiro-journal-sync");
        syncer.setDaemon(true);
        syncer.start();
    }

    /** Creates and locks this instance's journal in {@code dir}. */
    static OutcomeJournal open(Path dir, String owner) throws IOException {
        Files.createDirectories(dir);
        String name = Base64.getUrlEncoder().withoutPadding().encodeToString(owner.getBytes(StandardCharsets.UTF_8));
        // Created under another name and renamed once locked, so no other instance takes it for a dead one's.
        Path fresh = dir.resolve(name + ".new");
        FileChannel channel = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new IOException("the delivery journal " + fresh + " is locked by another process");
        }
        Path file = dir.resolve(name + SUFFIX);
        Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE);
        return new OutcomeJournal(dir, file, channel, lock);
    }

    Path file() {
        return file;
    }

    /** Appends entries; the syncing thread forces them to disk at once. */
    void append(List<OutcomeEntry> entries) {
        StringBuilder lines = new StringBuilder(entries.size() * 1024);
        for (OutcomeEntry e : entries) {
            try {
                lines.append(json.writeValueAsString(e)).append('\n');
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        synchronized (this) {
            try {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            } catch (IOException e) {
                // The entries still go to the database; only crash safety is lost, so say so loudly.
                LOG.errorf("could not write the delivery journal %s: %s", file, e.getMessage());
            }
            unstored += entries.size();
            appended += entries.size();
            notifyAll();
        }
    }

    /** Entries forced to disk so far (for tests and the stop). */
    synchronized long synced() {
        return synced;
    }

    /** Forces what was appended to the disk, again and again while entries come in. */
    private void syncLoop() {
        while (true) {
            long target;
            synchronized (this) {
                while (synced == appended && !closing) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (synced == appended) {
                    return;
                }
                target = appended;
            }
            try {
                channel.force(false);
            } catch (IOException e) {
                LOG.errorf("could not sync the delivery journal %s: %s", file, e.getMessage());
            }
            synchronized (this) {
                synced = target;
                notifyAll();
            }
        }
    }

    /** {@code count} appended entries are stored in the database; the file is emptied once nothing is left. */
    synchronized void stored(int count) {
        unstored -= count;
        try {
            if (unstored <= 0 && channel.size() > TRUNCATE_ABOVE) {
                unstored = 0;
                channel.truncate(0);
                channel.position(0);
            }
        } catch (IOException e) {
            LOG.warnf("could not empty the delivery journal %s: %s", file, e.getMessage());
        }
    }

    /** The journals of dead instances in this folder, each locked by this process until discarded or kept. */
    List<Orphan> orphans() {
        List<Orphan> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path other : files) {
                if (other.equals(file)) {
                    continue;
                }
                Orphan orphan = claim(other);
                if (orphan != null) {
                    found.add(orphan);
                }
            }
        } catch (IOException e) {
            LOG.warnf("could not look for other journals in %s: %s", dir, e.getMessage());
        }
        return found;
    }

    private Orphan claim(Path other) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(other, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        FileLock taken;
        try {
            taken = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            taken = null; // this process already replays it
        }
        if (taken == null) {
            ch.close();
            return null; // a live instance's
        }
        String name = other.getFileName().toString();
        String owner = new String(Base64.getUrlDecoder().decode(name.substring(0, name.length() - SUFFIX.length())),
                StandardCharsets.UTF_8);
        List<OutcomeEntry> entries = new ArrayList<>();
        try (BufferedReader lines = Files.newBufferedReader(other, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                try {
                    entries.add(json.readValue(line, OutcomeEntry.class));
                } catch (IOException e) {
                    // the last line of a journal cut by a crash: that message was not settled
                }
            }
        }
        return new Orphan(other, owner, entries, ch);
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        try {
            syncer.join(10_000); // the last entries reach the disk before the file is closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeFile();
    }

    private synchronized void closeFile() throws IOException {
        if (unstored <= 0) {
            lock.release();
            channel.close();
            Files.deleteIfExists(file);
        } else {
            lock.release();
            channel.close(); // left for the next start (or another instance) to replay
        }
    }
}
