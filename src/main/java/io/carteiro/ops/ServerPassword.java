package io.carteiro.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * The embedded database's password: 32 random bytes generated at the first start and kept in a file that only the
 * owner can read (mode 0600), so that the server, which listens on loopback, still refuses every other local user.
 */
public final class ServerPassword {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private ServerPassword() {
    }

    /** Reads the password from {@code file}, creating the file with a new random password when it is missing. */
    public static String readOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(partial);
            createOwnerOnly(partial);
            Files.writeString(partial, password + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
            try {
                // created complete or not at all: a crash mid-write must not leave an empty password behind
                Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                Files.deleteIfExists(partial);
            }
        }
        restrict(file);
        String password = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (password.length() < 16) {
            throw new IOException(file + " holds no usable password (it is empty or shorter than 16 characters);"
                    + " delete it only together with the embedded database's data, or write the password back");
        }
        return password;
    }

    /**
     * The hash MariaDB keeps for a {@code mysql_native_password} account ({@code *} and the upper-case hex of
     * SHA1(SHA1(password))), so the start-up SQL that sets the account never holds the password itself.
     */
    static String nativeHash(String password) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] once = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
            return "*" + HexFormat.of().withUpperCase().formatHex(sha1.digest(once));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }

    static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }

    /** Takes group and other permissions away (a file copied or restored with a wider mode gets 0600 again). */
    static void restrict(Path file) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX modes (rare on a server): its own access control applies
        }
    }
}
