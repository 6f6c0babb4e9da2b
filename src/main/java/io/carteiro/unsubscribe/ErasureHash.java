package io.carteiro.unsubscribe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The fingerprint an erased address leaves in the suppression list: lower-case hex HMAC-SHA256 of the lower-case
 * address, keyed with the installation's 32-byte salt (hex in {@code app_setting 'erasure.salt'}, created once).
 */
@ApplicationScoped
class ErasureHash {

    @Inject
    AppSettingsStore settings;

    private volatile byte[] salt;

    String of(String emailKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt(), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(emailKey.toLowerCase(Locale.ROOT)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private byte[] salt() {
        byte[] known = salt;
        if (known == null) {
            known = HexFormat.of().parseHex(settings.getOrCreate(AppSettingsStore.ERASURE_SALT,
                    () -> AppSettingsStore.randomHex(32)));
            salt = known;
        }
        return known;
    }
}
