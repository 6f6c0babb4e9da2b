package io.carteiro.bounces;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderClosedException;
import jakarta.mail.FolderNotFoundException;

import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.Locale;

/**
 * Says in words what went wrong talking to the bounce mailbox, from the exception chain Angus Mail and the JDK give
 * ("Connect failed" hides a certificate for another name; "Exception deleting messages during close" hides a server
 * that hung up): the cause, then what Carteiro does about it.
 */
final class MailboxProblems {

    private MailboxProblems() {
    }

    /** The description on one line: servers' words are quoted in it, and must not start a new log line. */
    static String describe(Throwable e, MailboxSettings settings) {
        return describeCause(e, settings).replaceAll("[\\p{Cntrl}]+", " ").strip();
    }

    private static String describeCause(Throwable e, MailboxSettings settings) {
        String host = settings.host() + ":" + settings.port();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            String lower = m.toLowerCase(Locale.ROOT);
            if (t instanceof AuthenticationFailedException) {
                return "the server refused the login of " + settings.user() + (m.isBlank() ? "" : " (" + m + ")");
            }
            if (lower.contains("no subject alternative") || lower.contains("no name matching")
                    || lower.contains("can't verify identity of server")) {
                return "certificate name mismatch: the certificate of " + host + " does not name " + settings.host()
                        + " (" + m + ")";
            }
            if (lower.contains("pkix") || lower.contains("unable to find valid certification path")) {
                return "the certificate of " + host + " is not signed by a trusted CA (trusting "
                        + settings.trust().describe() + "; set carteiro.bounce.mailbox.ca-file or trust-store)";
            }
            if (t instanceof CertificateException) {
                return "the certificate of " + host + " was refused: " + m;
            }
            if (lower.contains("starttls is required")) {
                return host + " does not offer STARTTLS, and security=starttls requires it (use security=tls for "
                        + "implicit TLS on 993/995)";
            }
            if (t instanceof FolderNotFoundException) {
                return "folder " + settings.folder() + " does not exist";
            }
            if (t instanceof ConnectException) {
                return "connection to " + host + " refused";
            }
            if (t instanceof SocketTimeoutException) {
                return "no answer from " + host + " in time";
            }
            if (t instanceof UnknownHostException) {
                return "host " + settings.host() + " does not resolve";
            }
            if (t instanceof SSLException && !(t.getCause() instanceof CertificateException)) {
                return "TLS with " + host + " failed: " + m;
            }
            if (t instanceof EOFException || t instanceof SocketException || lower.contains("connection reset")
                    || lower.contains("connection closed") || lower.contains("unexpected end of stream")
                    || lower.contains("broken pipe")) {
                return "the connection to " + host + " was closed by the server or the network (" + m + ")";
            }
            // Angus Mail closes the folder when its connection dies and the next read only says the folder is not
            // open: the cause is the lost connection, not Carteiro's use of the folder.
            if (t instanceof FolderClosedException
                    || t instanceof IllegalStateException && lower.contains("folder is not open")) {
                return "the connection to " + host + " was closed by the server or the network mid-poll (" + m + ")";
            }
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
