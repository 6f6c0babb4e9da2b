package io.carteiro.delivery.smtp;

import javax.net.ssl.SSLContext;
import java.util.Optional;

/**
 * How to open a session with one server.
 *
 * @param ehloName    our name in EHLO/HELO
 * @param serverName  the server's name (for logs, TLS SNI, and the name a verified certificate must carry)
 * @param timeouts    per-phase timeouts and the transaction deadline
 * @param tls         the TLS policy of the session
 * @param credentials AUTH PLAIN / LOGIN credentials (relay mode); only ever sent over TLS
 * @param trust       the trust store for {@link TlsPolicy.Level#VERIFY}
 */
public record SessionOptions(String ehloName, String serverName, SmtpTimeouts timeouts, TlsPolicy tls,
                             Optional<Credentials> credentials, SSLContext trust) {

    /** A user name and password for SMTP AUTH. */
    public record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[" + username + ", password hidden]";
        }
    }

    /** The same options under another TLS policy. */
    public SessionOptions with(TlsPolicy policy) {
        return new SessionOptions(ehloName, serverName, timeouts, policy, credentials, trust);
    }
}
