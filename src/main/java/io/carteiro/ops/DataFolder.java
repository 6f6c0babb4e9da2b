package io.carteiro.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one folder of an instance's local state ({@code carteiro.data-dir}, env {@code CARTEIRO_DATA_DIR}, default
 * {@code ./carteiro-data}): the embedded MariaDB under {@code mariadb/} with its password file, and whatever other
 * features keep there (each creates its own file or subfolder).
 */
public record DataFolder(Path root) {

    public static final String KEY = "carteiro.data-dir";
    public static final String DEFAULT = "carteiro-data";

    /** The folder named by {@value #KEY} (system property or environment), else {@value #DEFAULT}. */
    public static DataFolder configured() {
        return new DataFolder(Path.of(StartupSettings.get(KEY).orElse(DEFAULT)));
    }

    public DataFolder {
        root = root.toAbsolutePath().normalize();
    }

    /** The embedded database's data directory: {@code carteiro.embedded-db.dir} if set, else {@code mariadb/}. */
    public Path embeddedDatabase() {
        return StartupSettings.get("carteiro.embedded-db.dir").map(Path::of).map(p -> p.toAbsolutePath().normalize())
                .orElse(root.resolve("mariadb"));
    }

    /**
     * Whether the folder lies under {@code java.io.tmpdir}, which the system may empty at boot or after some days
     * (systemd-tmpfiles, tmpfs). Compared by path components and, where the folders exist, by their real paths, so
     * neither {@code /tmpdata} nor a symbolic link into {@code /tmp} fools it.
     */
    public boolean underTemporaryDirectory() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        return under(root, tmp) || under(real(root), real(tmp));
    }

    private static boolean under(Path path, Path dir) {
        return path != null && dir != null && path.startsWith(dir);
    }

    /** The real path of the folder or of its nearest existing parent, with the rest appended. */
    private static Path real(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return null;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path));
        } catch (IOException e) {
            return null;
        }
    }
}
