package io.carteiro.engagement;

import io.carteiro.unsubscribe.LinkKeys;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Link keys for unit tests: named secrets, one of them current. */
record TestKeys(String current, Map<String, String> secrets) implements LinkKeys {

    static TestKeys of(String current, String... idThenSecret) {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (int i = 0; i < idThenSecret.length; i += 2) {
            secrets.put(idThenSecret[i], idThenSecret[i + 1]);
        }
        return new TestKeys(current, secrets);
    }

    @Override
    public String currentKeyId() {
        return current;
    }

    @Override
    public Optional<SecretKeySpec> key(String keyId) {
        return Optional.ofNullable(secrets.get(keyId))
                .map(s -> new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    }
}
