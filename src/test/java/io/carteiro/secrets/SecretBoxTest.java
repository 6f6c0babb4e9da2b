package io.carteiro.secrets;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxTest {

    static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static SecretBox box(String keys) {
        return new SecretBox(SecretKeys.parse(keys, "test"));
    }

    @Test
    void aSealedSecretOpensInItsOwnRowOnlyAndNeverReadsAsTheSecret() {
        SecretBox box = box(newKey());
        String sealed = box.seal("gabc:0123456789abcdef", "app_setting/links.generated-key");
        assertTrue(sealed.startsWith("enc1:"), sealed);
        assertFalse(sealed.contains("0123456789abcdef"));
        assertNotEquals(sealed, box.seal("gabc:0123456789abcdef", "app_setting/links.generated-key"),
                "a fresh nonce every time");
        assertEquals("gabc:0123456789abcdef", box.open(sealed, "app_setting/links.generated-key"));
        IllegalStateException moved = assertThrows(IllegalStateException.class,
                () -> box.open(sealed, "app_setting/delivery.verp-key"));
        assertTrue(moved.getMessage().contains("changed or copied from another row"), moved.getMessage());
        String altered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BB" : "AA");
        assertThrows(IllegalStateException.class, () -> box.open(altered, "app_setting/links.generated-key"));
    }

    @Test
    void plainTextFromAnOlderVersionPassesThroughAndIsNotCurrent() {
        SecretBox box = box(newKey());
        assertEquals("9465695d0aba3aac", box.open("9465695d0aba3aac", "app_setting/erasure.salt"));
        assertFalse(box.isSealed("9465695d0aba3aac"));
        assertFalse(box.isCurrent("9465695d0aba3aac"));
    }

    @Test
    void rotationKeepsOldSecretsReadableUntilTheyAreSealedAgain() {
        String oldKey = newKey();
        String newKey = newKey();
        String sealedWithOld = box(oldKey).seal("secret", "ctx");
        SecretBox rotated = box(newKey + "," + oldKey);
        assertEquals("secret", rotated.open(sealedWithOld, "ctx"));
        assertFalse(rotated.isCurrent(sealedWithOld));
        String resealed = rotated.seal(rotated.open(sealedWithOld, "ctx"), "ctx");
        assertTrue(rotated.isCurrent(resealed));
        assertEquals("secret", box(newKey).open(resealed, "ctx"));
        IllegalStateException unknown = assertThrows(IllegalStateException.class,
                () -> box(newKey).open(sealedWithOld, "ctx"));
        assertTrue(unknown.getMessage().contains("which this instance does not have"), unknown.getMessage());
    }

    @Test
    void keysThatAreNotThirtyTwoBase64BytesAreRefusedAtLoad() {
        assertThrows(IllegalStateException.class, () -> SecretKeys.parse("c2hvcnQ=", "test"));
        assertThrows(IllegalStateException.class, () -> SecretKeys.parse("not base64!", "test"));
        assertThrows(IllegalStateException.class, () -> SecretKeys.parse("# only a comment\n", "test"));
    }

    @Test
    void theKeyFileIsCreatedOncePrivateAndRefusedWhenOthersMayReadIt() throws IOException {
        Path dir = Path.of("target", "secrets-test", UUID.randomUUID().toString());
        SecretKeys first = SecretKeys.load(Optional.empty(), dir);
        Path file = dir.resolve(SecretKeys.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first.currentId(), SecretKeys.load(Optional.empty(), dir).currentId(), "read, not made again");
        assertEquals(first.currentId(), SecretKeys.load(Optional.of(" "), dir).currentId());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalStateException open = assertThrows(IllegalStateException.class,
                () -> SecretKeys.load(Optional.empty(), dir));
        assertTrue(open.getMessage().contains("chmod 600"), open.getMessage());
        String configured = newKey();
        assertEquals(SecretKeys.idOf(Base64.getDecoder().decode(configured)),
                SecretKeys.load(Optional.of(configured), dir).currentId(), "the variable wins over the file");
    }
}
