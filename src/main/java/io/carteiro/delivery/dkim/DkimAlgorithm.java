package io.carteiro.delivery.dkim;

/** The two signing algorithms Carteiro generates keys for: RSA (RFC 6376) and Ed25519 (RFC 8463). */
public enum DkimAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa"),
    ED25519_SHA256("ed25519-sha256", "ed25519");

    private final String tag;
    private final String keyType;

    DkimAlgorithm(String tag, String keyType) {
        this.tag = tag;
        this.keyType = keyType;
    }

    /** The a= value. */
    public String tag() {
        return tag;
    }

    /** The k= value of the DNS record. */
    public String keyType() {
        return keyType;
    }

    public static DkimAlgorithm ofTag(String tag) {
        for (DkimAlgorithm a : values()) {
            if (a.tag.equalsIgnoreCase(tag)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown DKIM algorithm '" + tag + "' (rsa-sha256 or ed25519-sha256)");
    }
}
