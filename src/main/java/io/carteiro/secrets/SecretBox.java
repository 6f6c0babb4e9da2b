package io.carteiro.secrets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts secrets before they go into the database and decrypts them on the way out: AES-256-GCM under the current
 * {@link SecretKeys secrets key}, with a fresh 96-bit nonce each time and the row the secret belongs to as associated
 * data, so a value copied into another row does not open. A sealed value reads {@code enc1:<key id>:<base64url of
 * nonce and ciphertext>}; any other value is a secret stored in plain text by an older Carteiro, which {@link #open}
 * passes through so that the start can seal it.
 */
@ApplicationScoped
public class SecretBox {

    static final String PREFIX = "enc1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    SecretsConfig config;

    @ConfigProperty(name = "carteiro.data-dir", defaultValue = "carteiro-data")
    String dataDir;

    private volatile SecretKeys keys;

    SecretBox() {
    }

    /** A box over these keys, for tests of the format. */
    SecretBox(SecretKeys keys) {
        this.keys = keys;
    }

    /** The secret sealed for the row {@code context} names (e.g. {@code app_setting/links.generated-key}). */
    public String seal(String plain, String context) {
        SecretKeys k = keys();
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, k.current(), nonce, context,
                plain.getBytes(StandardCharsets.UTF_8));
        ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
        return PREFIX + k.currentId() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    }

    /**
     * The secret in {@code stored}: decrypted, or as it is when an older Carteiro stored it in plain text. A value that
     * does not decrypt is not an outcome to handle but a broken installation (another instance's key, an altered
     * row), so it throws {@link IllegalStateException} saying which and what to do.
     */
    public String open(String stored, String context) {
        if (!isSealed(stored)) {
            return stored;
        }
        int colon = stored.indexOf(':', PREFIX.length());
        if (colon < 0) {
            throw new IllegalStateException("the secret of " + context + " is damaged (no key id)");
        }
        String keyId = stored.substring(PREFIX.length(), colon);
        SecretKeySpec key = keys().byId(keyId).orElseThrow(() -> new IllegalStateException("the secret of "
                + context + " was encrypted with secrets key " + keyId + ", which this instance does not have (it has "
                + keys().ids() + "): give every instance the same carteiro.secrets.key or key file, keeping old keys"
                + " after the current one until the start has re-encrypted everything"));
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(stored.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the secret of " + context + " is damaged (not base64)");
        }
        if (data.length <= NONCE_BYTES) {
            throw new IllegalStateException("the secret of " + context + " is damaged (too short)");
        }
        byte[] nonce = java.util.Arrays.copyOf(data, NONCE_BYTES);
        byte[] sealed = java.util.Arrays.copyOfRange(data, NONCE_BYTES, data.length);
        return new String(crypt(Cipher.DECRYPT_MODE, key, nonce, context, sealed), StandardCharsets.UTF_8);
    }

    /** The id of the key that seals now; loading the keys (and making the key file) if that was not done yet. */
    public String currentKeyId() {
        return keys().currentId();
    }

    /** Whether the value is sealed at all (else it is an old plain-text secret). */
    public boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /** Whether the value is sealed under the current key, so the start need not seal it again. */
    public boolean isCurrent(String stored) {
        return isSealed(stored) && stored.startsWith(PREFIX + keys().currentId() + ":");
    }

    private SecretKeys keys() {
        SecretKeys k = keys;
        if (k == null) {
            synchronized (this) {
                if (keys == null) {
                    keys = SecretKeys.load(config.key(), Path.of(dataDir));
                }
                k = keys;
            }
        }
        return k;
    }

    private static byte[] crypt(int mode, SecretKeySpec key, byte[] nonce, String context, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the secret of " + context + " does not open with its key: the row was"
                    + " changed or copied from another row");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }
}
