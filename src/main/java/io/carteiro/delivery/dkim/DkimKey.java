package io.carteiro.delivery.dkim;

import java.security.PrivateKey;
import java.time.Instant;

/**
 * A signing key of one domain and the DNS record that publishes its public half.
 *
 * @param publicKey the p= value (base64 SubjectPublicKeyInfo for RSA, the raw 32-byte key for Ed25519)
 */
public record DkimKey(long id, String domain, String selector, DkimAlgorithm algorithm, PrivateKey privateKey,
                      String publicKey, boolean active, Instant createdAt) {

    /** Where the TXT record goes: {@code <selector>._domainkey.<domain>}. */
    public String dnsName() {
        return selector + "._domainkey." + domain;
    }

    /** The TXT record value to publish. */
    public String dnsRecord() {
        return "v=DKIM1; k=" + algorithm.keyType() + "; p=" + publicKey;
    }
}
