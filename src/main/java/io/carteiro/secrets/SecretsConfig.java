package io.carteiro.secrets;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** Where the key that encrypts the secrets kept in the database comes from. */
@ConfigMapping(prefix = "carteiro.secrets")
public interface SecretsConfig {

    /**
     * The secrets keys ({@code CARTEIRO_SECRETS_KEY}, e.g. from a Kubernetes Secret): one or more keys of 32 random
     * bytes in base64 ({@code openssl rand -base64 32}), separated by commas; the first encrypts, the others still
     * decrypt (rotation). When absent, the key file {@code secrets.key} in the data folder ({@code carteiro.data-dir})
     * is used, and created with a fresh key (mode 0600) at first start. Several replicas need the same key.
     */
    Optional<String> key();
}
