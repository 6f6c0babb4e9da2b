package io.carteiro.bounces;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Where to fetch bounces from when they land in an existing mailbox, checked: what the configuration says, with the
 * port the protocol and security imply.
 *
 * @param processedFolder IMAP folder processed messages are moved to; empty to delete them
 */
record MailboxSettings(String protocol, String host, int port, MailboxSecurity security,
                       boolean allowPlaintextPassword, MailboxTrust trust, String user, String password,
                       String folder, Optional<String> processedFolder, int batchSize, Duration pollInterval) {

    MailboxSettings {
        protocol = protocol.strip().toLowerCase(Locale.ROOT);
        if (!protocol.equals("imap") && !protocol.equals("pop3")) {
            throw new IllegalArgumentException("carteiro.bounce.mailbox.protocol must be imap or pop3, was " + protocol);
        }
        if (protocol.equals("pop3") && processedFolder.isPresent()) {
            throw new IllegalArgumentException("POP3 has no folders: leave carteiro.bounce.mailbox.processed-folder unset");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("carteiro.bounce.mailbox.port must be 1-65535, was " + port);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("carteiro.bounce.mailbox.batch-size must be at least 1");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("carteiro.bounce.mailbox.poll-interval must be positive");
        }
    }

    /** The Jakarta Mail store name: imap, imaps, pop3 or pop3s. */
    String storeProtocol() {
        return security == MailboxSecurity.TLS ? protocol + "s" : protocol;
    }

    /** Whether logging in would send the password in plain text without that being allowed. */
    boolean refusesPlaintextLogin() {
        return security == MailboxSecurity.NONE && !allowPlaintextPassword;
    }

    /** protocol://user@host:port/folder, for logs. */
    String where() {
        return storeProtocol() + "://" + user + "@" + host + ":" + port + "/" + folder;
    }

    /** A digest of everything that decides what a poll reads, so that changed settings are polled at once. */
    String fingerprint() {
        String all = String.join("\n", protocol, host, Integer.toString(port), security.name(),
                Boolean.toString(allowPlaintextPassword), trust.describe(), user, password, folder,
                processedFolder.orElse(""), Integer.toString(batchSize), pollInterval.toString());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(all.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static MailboxSettings from(BounceConfig.Mailbox config) {
        String protocol = config.protocol().strip().toLowerCase(Locale.ROOT);
        boolean tls = config.security() == MailboxSecurity.TLS;
        int defaultPort = protocol.equals("pop3") ? (tls ? 995 : 110) : (tls ? 993 : 143);
        return new MailboxSettings(protocol, config.host(), config.port().orElse(defaultPort), config.security(),
                config.allowPlaintextPassword(), MailboxTrust.of(config.caFile(), config.trustStore(),
                config.trustStorePassword()), config.user().orElse(""), config.password().orElse(""),
                config.folder(), config.processedFolder(), config.batchSize(), config.pollInterval());
    }
}
