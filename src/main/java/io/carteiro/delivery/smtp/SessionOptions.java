package io.carteiro.delivery.smtp;

import java.util.Optional;

/**
 * How to open a session with one server.
 *
 * @param ehloName          our name in EHLO/HELO
 * @param serverName        the server's name (for logs, TLS SNI and certificate checks)
 * @param timeouts          per-phase timeouts
 * @param startTls          use STARTTLS when offered
 * @param requireTls        refuse to go on without TLS
 * @param verifyCertificate verify the server certificate and name
 * @param implicitTls       TLS from the first byte (port 465)
 * @param credentials       AUTH PLAIN / LOGIN credentials (relay mode)
 */
public record SessionOptions(String ehloName, String serverName, SmtpTimeouts timeouts, boolean startTls,
                             boolean requireTls, boolean verifyCertificate, boolean implicitTls,
                             Optional<Credentials> credentials) {

    /** A user name and password for SMTP AUTH. */
    public record Credentials(String username, String password) {
    }
}
