package io.carteiro.secrets;

import org.jboss.logging.Logger;

import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The AES-256 keys that encrypt secrets at rest, kept outside the database: from {@code carteiro.secrets.key}, else
 * from the key file in the data folder, created with one fresh key at first start. The first key encrypts; every key
 * listed decrypts, so a key is rotated by putting a new one first and keeping the old one until the start has
 * re-encrypted everything. Each key is known by an id (a fingerprint of it), stored with what it encrypted.
 */
final class SecretKeys {

    static final String FILE_NAME = "secrets.key";
    private static final Logger LOG = Logger.getLogger(SecretKeys.class);
    private static final int KEY_BYTES = 32;

    private final Map<String, SecretKeySpec> byId;
    private final String currentId;

    private SecretKeys(Map<String, SecretKeySpec> byId, String currentId) {
        this.byId = Map.copyOf(byId);
        this.currentId = currentId;
    }

    /** The configured keys, or the key file's (made now if there is none); throws when either is unusable. */
    static SecretKeys load(Optional<String> configured, Path dataDir) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return parse(configured.get(), "carteiro.secrets.key (CARTEIRO_SECRETS_KEY)");
        }
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            checkPrivate(file);
            return parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secrets key file " + file, e);
        }
    }

    /** Keys as written in the variable or the file: base64, separated by commas or lines; {@code #} starts a comment. */
    static SecretKeys parse(String text, String source) {
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\\R")) {
            String content = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            for (String part : content.split(",")) {
                String encoded = part.strip();
                if (encoded.isEmpty()) {
                    continue;
                }
                n++;
                byte[] key;
                try {
                    key = Base64.getDecoder().decode(encoded.replace('-', '+').replace('_', '/'));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("secrets key " + n + " in " + source + " is not base64");
                }
                if (key.length != KEY_BYTES) {
                    throw new IllegalStateException("secrets key " + n + " in " + source + " is " + key.length
                            + " bytes; it must be " + KEY_BYTES + " random bytes (openssl rand -base64 32)");
                }
                String id = idOf(key);
                keys.putIfAbsent(id, new SecretKeySpec(key, "AES"));
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalStateException(source + " holds no secrets key");
        }
        return new SecretKeys(keys, ids.get(0));
    }

    String currentId() {
        return currentId;
    }

    SecretKeySpec current() {
        return byId.get(currentId);
    }

    Optional<SecretKeySpec> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    Set<String> ids() {
        return byId.keySet();
    }

    /** A fingerprint that names a key without telling anything about it. */
    static String idOf(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("carteiro secrets key id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Writes a fresh key to a private temporary file and links it into place, so the file never exists half-written
     * or readable by others, and a second instance starting at the same moment reads the first one's key.
     */
    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        String text = "# Carteiro secrets key: encrypts the DKIM private keys, link keys and VERP key in the database.\n"
                + "# Back it up; without it they cannot be read. Rotation: docs/security-data.md.\n"
                + Base64.getEncoder().encodeToString(key) + "\n";
        boolean posix = Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null;
        Path temp = posix ? Files.createTempFile(file.getParent(), ".secrets", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(file.getParent(), ".secrets", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            try {
                Files.createLink(file, temp);
                LOG.infof("Created the secrets key file %s (key %s). Back it up: the secrets in the database cannot"
                        + " be read without it.", file, idOf(key));
            } catch (FileAlreadyExistsException raced) {
                LOG.debugf("another instance created %s first; using its key", file);
            } catch (UnsupportedOperationException noLinks) {
                Files.move(temp, file);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        if (!posix) {
            LOG.warnf("%s is on a file system without POSIX permissions: make sure only Carteiro can read it", file);
        }
    }

    /** Refuses a key file that others may read, as ssh does for private keys. */
    private static void checkPrivate(Path file) throws IOException {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) == null) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        for (PosixFilePermission p : permissions) {
            if (p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_")) {
                throw new IllegalStateException("the secrets key file " + file + " may be read by others ("
                        + PosixFilePermissions.toString(permissions) + "): chmod 600 " + file);
            }
        }
    }
}
