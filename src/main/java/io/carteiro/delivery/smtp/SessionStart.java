package io.carteiro.delivery.smtp;

/** What came of trying to open a session: a ready session, a server that said no, or no server at all. */
public sealed interface SessionStart permits SessionStart.Ready, SessionStart.Refused, SessionStart.Unreachable {

    /**
     * A session ready for mail.
     *
     * @param tlsTrouble under policy {@code may}, why TLS was not used although the server offered it (the failed
     *                   handshake the session fell back from), else null; it belongs in the attempt log
     */
    record Ready(SmtpSession session, String tlsTrouble) implements SessionStart {
    }

    /** The server answered, but with a failure (greeting, EHLO, STARTTLS or AUTH); {@code phase} names which. */
    record Refused(SmtpReply reply, String phase) implements SessionStart {
    }

    /**
     * No usable conversation: connection refused or timed out, dropped, a TLS handshake failure or TLS required but
     * not offered.
     *
     * @param tls what went wrong with TLS when that is why there is no session, else null
     */
    record Unreachable(String reason, TlsFailure tls) implements SessionStart {
        /** Whether the failure happened during or because of TLS. */
        public boolean tlsTrouble() {
            return tls != null;
        }
    }
}
