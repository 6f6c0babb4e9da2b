package io.carteiro.unsubscribe;

import javax.crypto.spec.SecretKeySpec;
import java.util.Optional;

/**
 * The HMAC-SHA256 keys every signed link is made with ({@code carteiro.links.keys}, or the one generated at first
 * start), for features that sign tokens of their own format (tracked links), so that all links share one key set
 * and one rotation: a new current key signs new links, older keys keep verifying old ones.
 */
public interface LinkKeys {

    /** The id of the key that signs new tokens; 1-16 characters of A-Z a-z 0-9 _ -. */
    String currentKeyId();

    /** The key with this id, if it is among the configured or generated ones. */
    Optional<SecretKeySpec> key(String keyId);
}
