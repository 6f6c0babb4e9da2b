package io.carteiro.delivery.smtp;

/**
 * How one session uses TLS, as one value instead of flags: Postfix's security levels ({@code none}, {@code may},
 * {@code encrypt}, {@code verify}) and whether TLS starts with STARTTLS (RFC 3207) or from the first byte (port 465).
 * Part of the connection cache's key, so a session opened under a weaker policy never carries a message that needs
 * a stronger one.
 *
 * @param level what TLS must achieve before a message goes out
 * @param start how TLS begins
 */
public record TlsPolicy(Level level, Start start) {

    /** What TLS must achieve. */
    public enum Level {
        /** Plain text only; STARTTLS is not tried. */
        NONE,
        /** STARTTLS when offered, any certificate; plain text when it is not offered or its handshake fails. */
        MAY,
        /** TLS required (else the message is deferred); the certificate is not checked. */
        ENCRYPT,
        /** TLS required with a certificate that validates and names the server (else deferred). */
        VERIFY
    }

    /** How TLS begins on the connection. */
    public enum Start { STARTTLS, IMPLICIT }

    public TlsPolicy {
        if (level == null || start == null) {
            throw new IllegalArgumentException("a TLS policy needs a level and a start");
        }
        if (start == Start.IMPLICIT && level == Level.NONE) {
            throw new IllegalArgumentException("implicit TLS cannot be plain text");
        }
    }

    public static TlsPolicy none() {
        return new TlsPolicy(Level.NONE, Start.STARTTLS);
    }

    public static TlsPolicy may() {
        return new TlsPolicy(Level.MAY, Start.STARTTLS);
    }

    public static TlsPolicy encrypt() {
        return new TlsPolicy(Level.ENCRYPT, Start.STARTTLS);
    }

    public static TlsPolicy verify() {
        return new TlsPolicy(Level.VERIFY, Start.STARTTLS);
    }

    /** The same level, with TLS from the first byte. */
    public TlsPolicy implicit() {
        return new TlsPolicy(level == Level.MAY ? Level.ENCRYPT : level, Start.IMPLICIT);
    }

    public boolean triesTls() {
        return level != Level.NONE;
    }

    public boolean requiresTls() {
        return level == Level.ENCRYPT || level == Level.VERIFY;
    }

    public boolean verifiesCertificate() {
        return level == Level.VERIFY;
    }

    /** Whether a session in this TLS state may carry a message under this policy. */
    public boolean satisfiedBy(boolean tls, boolean verified) {
        return switch (level) {
            case NONE, MAY -> true;
            case ENCRYPT -> tls;
            case VERIFY -> tls && verified;
        };
    }

    /** The stronger of two policies (a message's own requirement on top of the route's). */
    public TlsPolicy atLeast(Level minimum) {
        return minimum.compareTo(level) > 0 ? new TlsPolicy(minimum, start) : this;
    }
}
